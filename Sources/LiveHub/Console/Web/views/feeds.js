/**
 * feeds.js — the supervisor's side feeds from `location:{id}`: alerts (newest first, with an
 * ack button sending `alert.ack`; an `alert.acknowledged` event marks the item acked) and the
 * auto-responder's decisions (action and reason). Each feed keeps its newest 200 items.
 */

import { h, clock, setText } from './format.js';
import { displayName, reasonLabel } from './summary.js';

const KEEP = 200;

export function createFeeds({ store, conn, onOpen }) {
  const alerts = h('ul', { testid: 'alerts', cls: 'feed alerts', attrs: { 'aria-label': 'Alerts' } });
  const decisions = h('ul', { testid: 'decisions', cls: 'feed decisions', attrs: { 'aria-label': 'Auto-responder decisions' } });
  const alertCount = h('span', { cls: 'count' });
  const status = h('div', { cls: 'muted small', attrs: { role: 'status' } });
  const el = h('aside', { cls: 'feeds', attrs: { 'aria-label': 'Alerts and decisions' } },
    h('h3', {}, 'Alerts ', alertCount), status, alerts,
    h('h3', { text: 'Auto-responder' }), decisions);
  const alertItems = new Map();
  let pending = [];
  let pendingDecisions = [];

  function name(cid) {
    return displayName(store.summaries.get(cid)) || cid;
  }

  function convLink(cid) {
    const a = h('button', { cls: 'link', text: name(cid), attrs: { type: 'button' } });
    a.addEventListener('click', () => onOpen(cid));
    return a;
  }

  function alertNode(a) {
    const ack = h('button', { testid: 'alert-ack', cls: 'btn small', text: 'Ack', attrs: { type: 'button' } });
    ack.addEventListener('click', () => {
      if (conn.send({ op: 'alert.ack', conversationId: a.conversationId, seq: a.seq })) ack.disabled = true;
      else setText(status, 'Not connected — ack not sent');
    });
    const li = h('li', { testid: 'alert', cls: `alert r-${a.reason || 'other'}`, attrs: {
      'data-seq': a.seq, 'data-conversation-id': a.conversationId, 'data-reason': a.reason || '', 'data-acked': 'false' } },
      h('div', { cls: 'feed-line' }, h('span', { cls: 'chip reason', text: reasonLabel(a.reason) }), convLink(a.conversationId), h('span', { cls: 'muted time', text: clock(a.at) }), ack),
      h('div', { cls: 'feed-text' }, a.message || '', ' ', h('span', { cls: 'acked-by muted' })));
    li.ack = ack;
    return li;
  }

  function markAcked(a) {
    const li = alertItems.get(a.key);
    if (!li) return;
    li.dataset.acked = 'true';
    li.ack.disabled = true;
    li.ack.hidden = true;
    setText(li.querySelector('.acked-by'), `acknowledged${a.ackedBy ? ' by ' + a.ackedBy : ''}`);
  }

  function flush() {
    for (const a of pending) {
      if (alertItems.has(a.key)) continue;
      const li = alertNode(a);
      alertItems.set(a.key, li);
      alerts.prepend(li);
      if (a.acked) markAcked(a);
    }
    pending = [];
    while (alerts.children.length > KEEP) {
      const last = alerts.lastElementChild;
      for (const [k, v] of alertItems) if (v === last) alertItems.delete(k);
      last.remove();
    }
    setText(alertCount, String(alerts.querySelectorAll('[data-acked="false"]').length || ''));
    for (const d of pendingDecisions) {
      decisions.prepend(h('li', { testid: 'decision', cls: `decision a-${d.action || ''}`, attrs: { 'data-action': d.action || '', 'data-conversation-id': d.conversationId || '' } },
        h('div', { cls: 'feed-line' }, h('span', { cls: 'chip action', text: d.action || '?' }), convLink(d.conversationId), h('span', { cls: 'muted time', text: clock(d.at) })),
        h('div', { cls: 'feed-text', text: d.reason || '' })));
    }
    pendingDecisions = [];
    while (decisions.children.length > KEEP) decisions.lastElementChild.remove();
  }

  store.on('alert', (a) => {
    pending.push(a);
    store.schedule('feeds', flush);
  });
  store.on('alert-acked', (a) => {
    store.schedule('feeds-acked:' + a.key, () => {
      markAcked(a);
      setText(alertCount, String(alerts.querySelectorAll('[data-acked="false"]').length || ''));
    });
  });
  store.on('decision', (d) => {
    pendingDecisions.push(d);
    store.schedule('feeds', flush);
  });
  store.on('error', (f) => {
    if (f.op === 'alert.ack') setText(status, `Ack refused: ${f.message || f.code} (${f.code})`);
  });

  return { el };
}
