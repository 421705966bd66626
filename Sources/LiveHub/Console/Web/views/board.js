/**
 * board.js — the supervisor's board of active conversations, sorted by attention (SLA breach,
 * human requested, legal threat, negative sentiment, hot lead, negotiation, then longest
 * waiting). Built for 500 rows and 50 events/s: one keyed row per conversation, changed rows
 * marked dirty and redrawn once per animation frame, re-sorted with minimal DOM moves.
 * Marks `performance.mark('board-first-render')` when it first paints.
 */

import { h, setText, setData, nowSec, duration } from './format.js';
import { aiState, attentionOf, compareAttention, displayName, reasonLabel, slaLevel, viewersText, waitingFor } from './summary.js';
import { reorder } from './reorder.js';

const attText = (reason, s) => (reason === 'none' ? (s.tier === 'hot' ? 'Hot lead' : '') : reasonLabel(reason));

const isActive = (s) => s && (s.state === 'active' || s.state === 'waiting');

export function createBoard({ store, me, slaSeconds, onOpen }) {
  const body = h('div', { cls: 'board-body', attrs: { role: 'rowgroup' } });
  const headRow = h('div', { cls: 'board-head', attrs: { role: 'row' } },
    ...['Attention', 'Lead', 'Agent', 'Waiting', 'Tier', 'Score', 'Mood', 'AI', 'Last message'].map((t) => h('span', { text: t, attrs: { role: 'columnheader' } })));
  const empty = h('p', { cls: 'empty muted', text: 'No active conversations' });
  const el = h('div', { testid: 'board', cls: 'board', attrs: { role: 'table', 'aria-label': 'Active conversations' } }, headRow, body, empty);

  const rows = new Map();
  const dirty = new Set();
  let needSort = false;
  let selected = null;
  let painted = false;

  function rowFor(id) {
    let r = rows.get(id);
    if (r) return r;
    const cell = (cls) => h('span', { cls, attrs: { role: 'cell' } });
    const p = {
      att: cell('att'), name: cell('name'), agent: cell('agent'), wait: cell('wait'), tier: cell('tier'),
      score: cell('num'), mood: cell('num'), ai: cell('ai'), preview: cell('preview'),
    };
    const el = h('div', { testid: 'board-row', cls: 'board-row', attrs: { role: 'row', tabindex: '0', 'data-conversation-id': id, 'data-attention': 'none' } },
      p.att, p.name, p.agent, p.wait, p.tier, p.score, p.mood, p.ai, p.preview);
    el.addEventListener('click', () => onOpen(id));
    el.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') onOpen(id);
    });
    r = { id, el, p, s: null, rank: 99, reason: 'none' };
    rows.set(id, r);
    return r;
  }

  /** The AI state and, after it, who else is watching: rewritten together so neither blinks. */
  function aiCell(s, now) {
    const v = viewersText(store.viewers.get(s.conversationId), me);
    return aiState(s, me, now) + (v ? ` · ${v}` : '');
  }

  /** Redraws one row; returns true when its place in the order may have changed. */
  function update(r, s, now) {
    const prev = r.s;
    r.s = s;
    const { rank, reason } = attentionOf(s, slaSeconds, now);
    const moved = !prev || rank !== r.rank || prev.waitingSince !== s.waitingSince || prev.state !== s.state || prev.lastMessageAt !== s.lastMessageAt;
    r.rank = rank;
    r.reason = reason;
    setData(r.el, 'attention', reason);
    setText(r.p.att, attText(reason, s));
    setText(r.p.name, displayName(s));
    setText(r.p.agent, s.takenOverBy ? `${s.takenOverBy} (took over)` : s.assignedTo || 'unassigned');
    tick(r, now);
    setText(r.p.tier, s.tier || '');
    setData(r.p.tier, 'tier', s.tier || '');
    setText(r.p.score, typeof s.score === 'number' ? String(Math.round(s.score)) : '');
    setText(r.p.mood, typeof s.sentiment === 'number' ? s.sentiment.toFixed(1) : '');
    setText(r.p.ai, aiCell(s, now));
    setText(r.p.preview, s.lastMessagePreview || '');
    return moved;
  }

  function tick(r, now) {
    const s = r.s;
    const waited = waitingFor(s, now);
    setText(r.p.wait, waited == null ? s.state || '' : duration(waited));
    setData(r.p.wait, 'level', slaLevel(waited, slaSeconds));
  }

  function flush() {
    const now = nowSec();
    for (const id of dirty) {
      const s = store.summaries.get(id);
      if (!isActive(s)) {
        const r = rows.get(id);
        if (r) {
          r.el.remove();
          rows.delete(id);
          needSort = true;
        }
        continue;
      }
      if (update(rowFor(id), s, now)) needSort = true;
    }
    dirty.clear();
    if (needSort) {
      needSort = false;
      const sorted = [...rows.values()].sort(compareAttention);
      reorder(body, sorted.map((r) => r.el));
      empty.hidden = sorted.length > 0;
    }
    if (!painted && rows.size > 0) firstPaint();
  }

  function firstPaint() {
    painted = true;
    performance.mark('board-first-render');
  }

  function schedule() {
    store.schedule('board', flush);
  }

  store.on('summary', (s) => {
    dirty.add(s.conversationId);
    schedule();
  });
  store.on('removed', (id) => {
    dirty.add(id);
    schedule();
  });
  store.on('viewers', (id) => {
    if (!rows.has(id)) return;
    dirty.add(id);
    schedule();
  });
  // Replay done with nothing to show: the (empty) board has painted too.
  store.on('subscribed', (f) => {
    if (f.topic && f.topic.startsWith('location:') && !painted) store.schedule('board-empty', () => !painted && rows.size === 0 && firstPaint());
  });
  setInterval(() => {
    store.schedule('board-tick', () => {
      const now = nowSec();
      for (const r of rows.values()) {
        if (r.s.state !== 'waiting') continue;
        tick(r, now);
        const { rank, reason } = attentionOf(r.s, slaSeconds, now);
        if (rank !== r.rank || reason !== r.reason) {
          r.rank = rank;
          r.reason = reason;
          setData(r.el, 'attention', reason);
          setText(r.p.att, attText(reason, r.s));
          needSort = true;
        }
        setText(r.p.ai, aiCell(r.s, now));
      }
      if (needSort) schedule();
    });
  }, 1000);

  return {
    el,
    select(id) {
      if (selected && rows.get(selected)) rows.get(selected).el.removeAttribute('aria-selected');
      selected = id;
      if (id && rows.get(id)) rows.get(id).el.setAttribute('aria-selected', 'true');
    },
  };
}
