/**
 * negotiation.js — the negotiation panel for a conversation that feeds a deal session:
 * subscribes `negotiation:{id}` (resumed with `since` like any topic), draws every offer by
 * party over time as an SVG chart (`circle.offer.buyer|seller`, the listing price as a line),
 * and shows the recommended counter and its rationale from the latest `negotiation.updated`.
 */

import { h, svg, clear, clock, label, money, setText, toSeconds } from './format.js';

const W = 320;
const H = 170;
const PAD = { left: 64, right: 10, top: 12, bottom: 22 };

export function createNegotiation({ store, conn }) {
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'neg-chart', role: 'img', 'aria-label': 'Offers by party over time' });
  chart.dataset.testid = 'negotiation-chart';
  const status = h('div', { cls: 'neg-status muted' });
  const counter = h('div', { testid: 'negotiation-counter', cls: 'neg-counter' });
  const rationale = h('div', { testid: 'negotiation-rationale', cls: 'neg-rationale' });
  const changes = h('ul', { cls: 'neg-changes muted' });
  const el = h('section', { testid: 'negotiation-panel', cls: 'panel negotiation', hidden: true, attrs: { 'aria-label': 'Negotiation' } },
    h('h3', { text: 'Negotiation' }), status, chart,
    h('div', { cls: 'legend muted' }, h('span', { cls: 'dot buyer' }), 'buyer ', h('span', { cls: 'dot seller' }), 'seller ', h('span', { cls: 'dash' }), 'listing'),
    counter, rationale, changes);

  let convId = null;
  let negId = null;

  store.on('neg-event', (nid) => {
    if (nid === negId) store.schedule('negotiation', render);
  });
  store.on('conv-event', (cid, ev) => {
    if (cid !== convId || !ev.kind.startsWith('negotiation.')) return;
    if (!negId && ev.data.negotiationId) follow(ev.data.negotiationId);
    else if (negId && !conn.topics.has(`negotiation:${negId}`)) conn.subscribe(`negotiation:${negId}`);
    store.schedule('negotiation', render);
  });

  // The session may not accept watchers yet when its first event reaches the conversation:
  // a refused subscribe is retried a few times (and again on the next negotiation event).
  let retries = 0;
  let retryTimer = 0;
  store.on('error', (f, topic) => {
    if (!negId || f.op !== 'subscribe' || !['forbidden', 'not_found'].includes(f.code)) return;
    if (topic ? topic !== `negotiation:${negId}` : !String(f.message || '').includes(negId)) return;
    conn.forget(`negotiation:${negId}`);
    if (retries >= 5) return;
    retries += 1;
    clearTimeout(retryTimer);
    const id = negId;
    retryTimer = setTimeout(() => id === negId && conn.subscribe(`negotiation:${id}`), 1000 * retries);
  });

  function follow(id) {
    if (id === negId) return;
    if (negId) conn.unsubscribe(`negotiation:${negId}`);
    negId = id || null;
    retries = 0;
    clearTimeout(retryTimer);
    el.hidden = !negId;
    if (negId) conn.subscribe(`negotiation:${negId}`);
    render();
  }

  /** Every event about this deal: the conversation's negotiation events and the session's own. */
  function facts() {
    const conv = (convId && store.convs.get(convId)) || { events: [] };
    const neg = negId ? store.neg(negId) : { events: [] };
    const offers = [];
    let listing = null;
    let advice = null;
    let closed = null;
    const consider = (ev) => {
      const d = ev.data || {};
      if (d.negotiationId && negId && d.negotiationId !== negId) return;
      if (typeof d.listingPrice === 'number') listing = d.listingPrice;
      if (ev.kind === 'negotiation.offer' && d.offer) offers.push(d.offer);
      if (ev.kind === 'negotiation.updated') advice = { data: d, at: toSeconds(ev.at) || 0 };
      if (ev.kind === 'negotiation.closed') closed = d;
    };
    for (const ev of neg.events) consider(ev);
    const fromSession = advice;
    advice = null;
    for (const ev of conv.events) if (ev.kind.startsWith('negotiation.')) consider(ev);
    if (fromSession && (!advice || fromSession.at > advice.at)) advice = fromSession;
    return { offers, listing, advice: advice && advice.data, closed };
  }

  function render() {
    if (!negId) return;
    const { offers, listing, advice, closed } = facts();
    drawChart(chart, offers, listing, advice && advice.advice && advice.advice.recommendedCounter);
    const a = (advice && advice.advice) || {};
    if (closed) setText(status, `Closed: ${closed.status}${closed.finalPrice ? ' at ' + money(closed.finalPrice) : ''}`);
    else {
      const bits = [listing != null && `Listing ${money(listing)}`, advice && advice.side && `we are the ${advice.side}`,
        typeof a.dealProbability === 'number' && `deal chance ${Math.round(a.dealProbability * 100)}%`,
        a.predictedSettlement && `settles near ${money(a.predictedSettlement)}`].filter(Boolean);
      setText(status, bits.join(' · '));
    }
    const action = a.action ? `${label(typeof a.action === 'string' ? a.action : a.action.kind || '')}: ` : '';
    setText(counter, a.recommendedCounter != null ? `${action}counter at ${money(a.recommendedCounter)}` : advice ? `${action}no counter recommended` : 'Waiting for the first advice');
    const why = Array.isArray(a.rationale) ? a.rationale.join(' ') : a.rationale || '';
    setText(rationale, why || (advice ? 'No rationale given' : 'The coach speaks after the next offer'));
    clear(changes);
    for (const c of [...((advice && advice.changes) || []), ...(a.warnings || [])]) changes.append(h('li', { text: typeof c === 'string' ? c : JSON.stringify(c) }));
  }

  return {
    el,
    /** Follows the negotiation of conversation `cid` (from its summary, else its events). */
    show(cid, negotiationId) {
      if (cid !== convId) {
        convId = cid;
        follow(null);
      }
      let id = negotiationId;
      if (!id) {
        const c = store.convs.get(cid);
        for (const ev of c ? c.events : []) if (ev.data && ev.data.negotiationId && ev.kind.startsWith('negotiation.')) id = ev.data.negotiationId;
      }
      if (id) follow(id);
      else render();
    },
    close() {
      convId = null;
      follow(null);
    },
  };
}

/** Draws offers (circles by party), the listing price and the recommended counter. */
function drawChart(root, offers, listing, counter) {
  clear(root);
  const pts = offers
    .map((o) => ({ party: o.party === 'seller' ? 'seller' : 'buyer', amount: Number(o.amount), t: toSeconds(o.at) || 0, source: o.source }))
    .filter((p) => Number.isFinite(p.amount));
  const amounts = pts.map((p) => p.amount);
  if (listing != null) amounts.push(listing);
  if (counter != null) amounts.push(counter);
  if (!amounts.length) {
    const t = svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'axis' });
    t.textContent = 'No offers yet';
    root.append(t);
    return;
  }
  let lo = Math.min(...amounts);
  let hi = Math.max(...amounts);
  const span = Math.max(hi - lo, hi * 0.02, 1);
  lo -= span * 0.1;
  hi += span * 0.1;
  const times = pts.map((p) => p.t);
  const t0 = Math.min(...times, Infinity);
  const t1 = Math.max(...times, -Infinity);
  const x = (t) => (pts.length < 2 || t1 === t0 ? (PAD.left + W - PAD.right) / 2 : PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right));
  const y = (v) => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  root.append(svg('line', { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, class: 'axis-line' }));
  for (const v of [hi - span * 0.1, lo + span * 0.1]) {
    const t = svg('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' });
    t.textContent = money(v);
    root.append(t);
  }
  if (listing != null) root.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(listing), y2: y(listing), class: 'listing' }));
  if (counter != null) root.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(counter), y2: y(counter), class: 'counter' }));
  for (const party of ['buyer', 'seller']) {
    const mine = pts.filter((p) => p.party === party).sort((a, b) => a.t - b.t);
    if (mine.length > 1) root.append(svg('polyline', { points: mine.map((p) => `${x(p.t)},${y(p.amount)}`).join(' '), class: `trend ${party}` }));
  }
  pts.forEach((p) => {
    const c = svg('circle', { cx: x(p.t), cy: y(p.amount), r: 4.5, class: `offer ${p.party}` });
    const title = svg('title');
    title.textContent = `${p.party} ${money(p.amount)} · ${clock(p.t)}${p.source ? ' · ' + p.source : ''}`;
    c.append(title);
    root.append(c);
  });
  if (pts.length) {
    const t = svg('text', { x: PAD.left, y: H - 6, class: 'axis' });
    t.textContent = clock(t0);
    const t2 = svg('text', { x: W - PAD.right, y: H - 6, 'text-anchor': 'end', class: 'axis' });
    t2.textContent = clock(t1);
    root.append(t, t2);
  }
}
