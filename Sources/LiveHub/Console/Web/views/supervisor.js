/**
 * supervisor.js — the supervisor view: live headline numbers (active, waiting, longest wait
 * ticking, SLA met % today from the stats endpoint, agents online / busy / offline), the
 * attention-sorted board, the watch pane for any conversation, and the alert and
 * auto-responder feeds. Follows `location:{id}`, which replays every summary on subscribe.
 */

import { h, clear, duration, nowSec, setText } from './format.js';
import { createBoard } from './board.js';
import { createWatch } from './watch.js';
import { createFeeds } from './feeds.js';
import { slaLevel, waitingFor } from './summary.js';

const STATS_EVERY_MS = 30000;

export function mountSupervisor(root, { store, conn, api, session }) {
  const me = session.user;
  const loc = session.locationId;
  const slaSeconds = session.slaSeconds || 120;
  const open = (id) => navigate(id);
  const board = createBoard({ store, me, slaSeconds, onOpen: open });
  const watch = createWatch({ store, conn, me, onClose: () => navigate(null) });
  const feeds = createFeeds({ store, conn, onOpen: open });

  const tile = (testid, labelText, ...extra) => {
    const value = h('div', { cls: 'tile-value', text: '—' });
    const node = h('div', { testid, cls: 'tile', attrs: { role: 'group', 'aria-label': labelText } }, h('div', { cls: 'tile-label', text: labelText }), value, ...extra);
    return { node, value };
  };
  const active = tile('stat-active', 'Active');
  const waiting = tile('stat-waiting', 'Waiting');
  const longest = tile('stat-longest-wait', 'Longest wait');
  const sla = tile('stat-sla', 'SLA met today');
  const online = h('span', { testid: 'stat-online', cls: 'agents-n ok', text: '0' });
  const busy = h('span', { testid: 'stat-busy', cls: 'agents-n warn', text: '0' });
  const offline = h('span', { testid: 'stat-offline', cls: 'agents-n off', text: '0' });
  const agentsTile = h('div', { testid: 'stat-agents', cls: 'tile', attrs: { role: 'group', 'aria-label': 'Agents' } },
    h('div', { cls: 'tile-label', text: 'Agents' }),
    h('div', { cls: 'tile-value agents' }, online, h('small', { text: ' online · ' }), busy, h('small', { text: ' busy · ' }), offline, h('small', { text: ' offline' })));
  const headline = h('section', { cls: 'headline', attrs: { 'aria-label': 'Headline numbers' } },
    active.node, waiting.node, longest.node, sla.node, agentsTile);

  const boardCol = h('section', { cls: 'board-col', attrs: { 'aria-label': 'Board' } }, h('h3', { text: 'Active conversations' }), board.el);
  const body = h('div', { cls: 'sup-body' }, boardCol, watch.el, feeds.el);
  const view = h('main', { testid: 'supervisor-view', cls: 'supervisor-view' }, headline, body);
  clear(root);
  root.append(view);

  conn.subscribe(`location:${loc}`);

  // ---- headline numbers ----

  function renderHeadline() {
    const now = nowSec();
    let nActive = 0;
    let nWaiting = 0;
    let longestWait = null;
    const waitingBy = new Set();
    const agents = new Set();
    for (const s of store.summaries.values()) {
      if (s.assignedTo) agents.add(s.assignedTo);
      if (s.state === 'active' || s.state === 'waiting') nActive += 1;
      if (s.state === 'waiting') {
        nWaiting += 1;
        if (s.assignedTo) waitingBy.add(s.assignedTo);
        const waited = waitingFor(s, now);
        if (waited != null) longestWait = Math.max(longestWait ?? 0, waited);
      }
    }
    for (const user of store.presence.keys()) agents.add(user);
    agents.delete(me);
    let nOnline = 0;
    let nBusy = 0;
    for (const user of agents) {
      if (!store.presence.get(user)) continue;
      nOnline += 1;
      if (waitingBy.has(user)) nBusy += 1;
    }
    setText(active.value, String(nActive));
    setText(waiting.value, String(nWaiting));
    setText(longest.value, longestWait == null ? '—' : duration(longestWait));
    longest.node.dataset.level = slaLevel(longestWait, slaSeconds);
    setText(online, String(nOnline));
    setText(busy, String(nBusy));
    setText(offline, String(agents.size - nOnline));
  }

  const scheduleHeadline = () => store.schedule('headline', renderHeadline);
  let statsTimer = 0;
  store.on('summary', (s, prev) => {
    scheduleHeadline();
    if (prev && prev.lastMessageAt !== s.lastMessageAt) {
      clearTimeout(statsTimer);
      statsTimer = setTimeout(loadStats, 1000);
    }
  });
  store.on('removed', scheduleHeadline);
  store.on('presence', scheduleHeadline);
  setInterval(scheduleHeadline, 1000);

  async function loadStats() {
    try {
      const st = await api.get(`/v1/locations/${encodeURIComponent(loc)}/stats`);
      const denominator = (st.answered || 0) + (st.waitingOverSla || 0);
      const pct = typeof st.slaMetPercent === 'number' ? st.slaMetPercent : denominator > 0 ? (100 * (st.met || 0)) / denominator : null;
      setText(sla.value, pct == null ? '—' : `${Math.round(pct)}%`);
      sla.node.title = `${st.met || 0} met of ${denominator} (answered ${st.answered || 0}, waiting over SLA ${st.waitingOverSla || 0}) on ${st.day || 'today'}`;
    } catch (err) {
      sla.node.title = `Stats unavailable: ${err.message}`;
    }
  }
  loadStats();
  setInterval(loadStats, STATS_EVERY_MS);

  // ---- watch pane and routes ----

  function navigate(id) {
    const hash = id ? `#/c/${encodeURIComponent(id)}` : '#/';
    if (window.location.hash !== hash) window.location.hash = hash;
    else route(id);
  }

  function route(id) {
    body.classList.toggle('watching', !!id);
    board.select(id);
    if (id) watch.open(id);
    else watch.close();
  }

  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || !watch.conversationId) return;
    const t = ev.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return t.blur();
    navigate(null);
  });

  return { route };
}
