/**
 * convlist.js — the agent's conversation list: Mine / Unassigned tabs, one keyed row per
 * conversation (name, preview, unread and waiting badges, tier and score, a per-second SLA
 * countdown, viewers, AI state). Unread is client-side: the last seen `lastMessageAt` per
 * conversation, kept in localStorage for this user. Rows update once per animation frame.
 */

import { h, setText, setData, nowSec, toSeconds } from './format.js';
import { aiState, displayName, slaState, viewersText } from './summary.js';
import { reorder } from './reorder.js';

export function createConvList({ store, me, slaSeconds, onOpen }) {
  const seenKey = `livehub.seen.${me}`;
  const seen = loadSeen(seenKey);
  const tabMine = tab('tab-mine', 'Mine', 'mine');
  const tabUn = tab('tab-unassigned', 'Unassigned', 'unassigned');
  const tablist = h('div', { cls: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Conversations' } }, tabMine.el, tabUn.el);
  const list = h('ul', { testid: 'conv-list', cls: 'conv-list', attrs: { role: 'listbox', 'aria-label': 'Conversations', id: 'conv-list' } });
  const empty = h('p', { cls: 'empty muted', text: 'No conversations here yet' });
  const el = h('nav', { cls: 'list-col', attrs: { 'aria-label': 'Conversation list' } }, tablist, list, empty);

  const rows = new Map();
  const dirty = new Set();
  let current = 'mine';
  let selected = null;
  let openId = null;
  let order = [];

  function tab(testid, text, key) {
    const count = h('span', { cls: 'count' });
    const b = h('button', { testid, cls: 'tab', attrs: { role: 'tab', type: 'button', 'aria-controls': 'conv-list', 'aria-selected': key === 'mine' ? 'true' : 'false' } }, text, ' ', count);
    b.addEventListener('click', () => setTab(key));
    return { el: b, count };
  }

  function setTab(key) {
    current = key;
    tabMine.el.setAttribute('aria-selected', String(key === 'mine'));
    tabUn.el.setAttribute('aria-selected', String(key === 'unassigned'));
    schedule(true);
  }

  const inTab = (s, key) => (key === 'mine' ? s.assignedTo === me || s.takenOverBy === me : !s.assignedTo);

  function isUnread(s) {
    const at = toSeconds(s.lastMessageAt);
    return at != null && !(seen[s.conversationId] >= at);
  }

  function markRead(id) {
    const s = store.summaries.get(id);
    const at = s ? toSeconds(s.lastMessageAt) : null;
    if (at == null || seen[id] >= at) return;
    seen[id] = at;
    try {
      localStorage.setItem(seenKey, JSON.stringify(seen));
    } catch {
      /* storage full or blocked: unread stays in memory */
    }
    dirty.add(id);
    schedule(false);
  }

  function rowFor(id) {
    let r = rows.get(id);
    if (r) return r;
    const p = {
      name: h('span', { testid: 'conv-name', cls: 'conv-name' }),
      tier: h('span', { testid: 'conv-tier', cls: 'chip tier' }),
      score: h('span', { testid: 'conv-score', cls: 'score' }),
      sla: h('span', { testid: 'conv-sla', cls: 'sla', attrs: { 'data-level': 'ok' } }),
      preview: h('span', { testid: 'conv-preview', cls: 'conv-preview' }),
      unread: h('span', { testid: 'badge-unread', cls: 'badge unread', text: 'new', hidden: true }),
      waiting: h('span', { testid: 'badge-waiting', cls: 'badge waiting', text: 'waiting', hidden: true }),
      ai: h('span', { testid: 'conv-ai', cls: 'conv-ai' }),
      viewers: h('span', { testid: 'conv-viewers', cls: 'viewers' }),
    };
    const li = h('li', { testid: 'conv-row', cls: 'conv-row', attrs: { role: 'option', 'aria-selected': 'false', 'data-conversation-id': id, tabindex: '-1' } },
      h('div', { cls: 'row-line' }, p.name, p.unread, p.waiting, p.sla),
      h('div', { cls: 'row-line' }, p.preview),
      h('div', { cls: 'row-line small' }, p.tier, p.score, p.ai, p.viewers));
    li.addEventListener('click', () => onOpen(id));
    r = { el: li, p };
    rows.set(id, r);
    return r;
  }

  function update(id, now) {
    const s = store.summaries.get(id);
    if (!s) return;
    const { el, p } = rowFor(id);
    setText(p.name, displayName(s));
    setText(p.preview, s.lastMessagePreview || '');
    p.unread.hidden = !isUnread(s) || id === openId;
    p.waiting.hidden = s.state !== 'waiting';
    setText(p.tier, s.tier || '');
    setData(p.tier, 'tier', s.tier || '');
    setText(p.score, typeof s.score === 'number' ? String(Math.round(s.score)) : '');
    setText(p.ai, aiState(s, me, now));
    setText(p.viewers, viewersText(store.viewers.get(id), me));
    tickSla(p.sla, s, now);
    el.setAttribute('aria-selected', String(id === selected));
  }

  function tickSla(node, s, now) {
    const sla = slaState(s, slaSeconds, now);
    setText(node, sla.text);
    setData(node, 'level', sla.level);
  }

  function sortKey(s) {
    const waiting = s.state === 'waiting' && typeof s.waitingSince === 'number';
    return { w: waiting ? s.waitingSince : Infinity, t: toSeconds(s.lastMessageAt) || 0 };
  }

  function flush(reorderNeeded) {
    const now = nowSec();
    for (const id of dirty) {
      if (!store.summaries.has(id)) {
        const r = rows.get(id);
        if (r) r.el.remove();
        rows.delete(id);
      } else update(id, now);
    }
    dirty.clear();
    if (!reorderNeeded) return;
    const all = [...store.summaries.values()];
    setText(tabMine.count, String(all.filter((s) => inTab(s, 'mine')).length));
    setText(tabUn.count, String(all.filter((s) => inTab(s, 'unassigned')).length));
    const members = all.filter((s) => inTab(s, current));
    members.sort((a, b) => {
      const ka = sortKey(a);
      const kb = sortKey(b);
      return ka.w - kb.w || kb.t - ka.t || (a.conversationId < b.conversationId ? -1 : 1);
    });
    order = members.map((s) => s.conversationId);
    for (const id of order) if (!rows.has(id)) update(id, now);
    reorder(list, order.map((id) => rows.get(id).el));
    empty.hidden = order.length > 0;
  }

  let reorderPending = false;
  function schedule(reorderNeeded) {
    reorderPending = reorderPending || reorderNeeded;
    store.schedule('convlist', () => {
      const r = reorderPending;
      reorderPending = false;
      flush(r);
    });
  }

  store.on('summary', (s) => {
    if (s.conversationId === openId) markRead(openId);
    dirty.add(s.conversationId);
    schedule(true);
  });
  store.on('removed', (id) => {
    dirty.add(id);
    schedule(true);
  });
  store.on('viewers', (id) => {
    if (!rows.has(id)) return;
    dirty.add(id);
    schedule(false);
  });
  setInterval(() => {
    store.schedule('convlist-tick', () => {
      const now = nowSec();
      for (const id of order) {
        const s = store.summaries.get(id);
        const r = rows.get(id);
        if (s && r) {
          tickSla(r.p.sla, s, now);
          setText(r.p.ai, aiState(s, me, now));
        }
      }
    });
  }, 1000);

  return {
    el,
    /** Ids in the current tab, in display order (for j / k). */
    order: () => order,
    /** The conversation shown in the thread: it is read, and stays read while open. */
    setOpen(id) {
      const prev = openId;
      openId = id;
      selected = id;
      if (prev) dirty.add(prev);
      if (id) {
        dirty.add(id);
        markRead(id);
        const r = rows.get(id);
        if (r) r.el.scrollIntoView({ block: 'nearest' });
      }
      schedule(false);
    },
    /** Shows the tab holding `id` when the current one does not. */
    revealTab(id) {
      const s = store.summaries.get(id);
      if (s && !inTab(s, current)) setTab(inTab(s, 'mine') ? 'mine' : 'unassigned');
    },
    setTab,
    flush: () => flush(true),
  };
}

function loadSeen(key) {
  try {
    const v = JSON.parse(localStorage.getItem(key) || '{}');
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}
