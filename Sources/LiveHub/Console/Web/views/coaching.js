/**
 * coaching.js — the coaching column for the open conversation: at most three live cards
 * (cards since the lead's last message plus the newest negotiation card, minus dismissed, ranked by
 * priority then newest) with their evidence marked in that message; suggested replies
 * (buttons 1–3); and the AI draft, streamed into the composer for a human to edit and send.
 */

import { h, clear, setText } from './format.js';

const PRIORITY = { critical: 3, high: 2, medium: 1, low: 0 };

export function createCoaching({ store, conn, thread, composer }) {
  const cardsEl = h('div', { testid: 'cards', cls: 'cards', attrs: { role: 'list', 'aria-label': 'Coaching cards' } });
  const suggestionsEl = h('div', { testid: 'suggestions', cls: 'suggestions', attrs: { 'aria-label': 'Suggested replies' } });
  const draftButton = h('button', { testid: 'draft-button', cls: 'btn', text: 'AI draft', attrs: { type: 'button', title: 'Ask the AI for a draft reply' } });
  const draftStatus = h('div', { testid: 'draft-status', cls: 'draft-status muted', attrs: { role: 'status', 'aria-live': 'polite' } });
  const el = h('section', { cls: 'panel coaching', attrs: { 'aria-label': 'Coaching' } },
    h('h3', { text: 'Coaching' }), cardsEl,
    h('h3', { text: 'Suggested replies' }), suggestionsEl,
    h('div', { cls: 'draft-row' }, draftButton, draftStatus));

  let id = null;
  let localDismissed = new Set();
  let suggestions = [];
  let failedReplies = null;
  let draft = { asked: false, draftId: null };

  // Only what the panel shows moves it: delivery updates, whispers and the like do not.
  const SHOWN = new Set(['message.inbound', 'coaching.card', 'card.dismissed', 'reply.suggested']);
  store.on('conv-event', (cid, ev) => {
    if (cid !== id || !SHOWN.has(ev.kind)) return;
    if (ev.kind === 'message.inbound') failedReplies = null;
    store.schedule('coaching', render);
  });

  draftButton.addEventListener('click', () => {
    if (!id) return;
    if (!conn.send({ op: 'reply.draft', conversationId: id })) return setText(draftStatus, 'Not connected');
    draft = { asked: true, draftId: null };
    draftButton.disabled = true;
    setText(draftStatus, 'Drafting…');
  });

  store.on('draft', (f) => {
    if (f.conversationId !== id) return;
    if (f.type === 'reply.draft.delta') {
      if (draft.draftId == null) {
        if (!draft.asked && composer.value().trim()) return; // an unasked draft never overwrites typing
        draft = { asked: true, draftId: f.draftId };
        composer.setText('');
        setText(draftStatus, 'Drafting…');
      }
      if (f.draftId === draft.draftId) composer.append(f.text);
    } else if (f.type === 'reply.draft.done') {
      if (draft.draftId != null && f.draftId !== draft.draftId) return;
      if (draft.draftId == null && !draft.asked && composer.value().trim()) return;
      const sendable = f.sendable !== false;
      composer.setDraft(f.text, sendable);
      setText(draftStatus, sendable ? 'Draft ready — edit it, then send' : `Not sendable as is: ${flagsText(f.flags)} — edit it first`);
      endDraft();
    } else if (f.type === 'reply.draft.failed') {
      if (draft.draftId != null && f.draftId !== draft.draftId) return;
      setText(draftStatus, `Draft failed: ${f.reason || 'unknown reason'}`);
      failedReplies = Array.isArray(f.replies) ? f.replies : [];
      endDraft();
      render();
    }
  });

  store.on('error', (f) => {
    if (f.op === 'reply.draft') {
      setText(draftStatus, `Draft refused: ${f.message || f.code} (${f.code})`);
      endDraft();
    } else if (f.op === 'card.dismiss') {
      setText(draftStatus, `Could not dismiss: ${f.message || f.code}`);
    }
  });

  function endDraft() {
    draft = { asked: false, draftId: null };
    composer.endStream();
    draftButton.disabled = false;
  }

  function live() {
    const c = id && store.convs.get(id);
    const events = c ? c.events : [];
    let lastInbound = -1;
    const dismissed = new Set(localDismissed);
    let negotiation = null;
    events.forEach((ev, i) => {
      if (ev.kind === 'message.inbound') lastInbound = i;
      else if (ev.kind === 'card.dismissed') dismissed.add(ev.data.cardSeq);
      else if (ev.kind === 'coaching.card' && ev.data.kind === 'negotiation') negotiation = ev;
    });
    const after = events.slice(lastInbound + 1);
    // Each negotiation card replaces the one before: only the newest counts, wherever it is.
    const cards = after.filter((ev) => ev.kind === 'coaching.card' && ev.data.kind !== 'negotiation');
    if (negotiation) cards.push(negotiation);
    const shown = cards
      .filter((ev) => !dismissed.has(ev.seq))
      .sort((a, b) => (PRIORITY[b.data.priority] ?? 0) - (PRIORITY[a.data.priority] ?? 0) || b.seq - a.seq)
      .slice(0, 3);
    const replies = after.filter((ev) => ev.kind === 'reply.suggested').map((ev) => ev.data);
    const inbound = lastInbound >= 0 ? events[lastInbound] : null;
    return { shown, replies, inbound };
  }

  function render() {
    const { shown, replies, inbound } = live();
    clear(cardsEl);
    for (const ev of shown) cardsEl.append(cardNode(ev));
    if (!shown.length) cardsEl.append(h('p', { cls: 'empty muted', text: 'No coaching for the last message' }));
    const words = [];
    for (const ev of shown) if (inbound && ev.seq > inbound.seq) words.push(...(ev.data.evidence || []));
    thread.mark(inbound ? inbound.seq : null, words);
    suggestions = (failedReplies && failedReplies.length ? failedReplies : replies).slice(0, 3);
    clear(suggestionsEl);
    suggestions.forEach((r, i) => suggestionsEl.append(suggestionNode(r, i + 1)));
    if (!suggestions.length) suggestionsEl.append(h('p', { cls: 'empty muted', text: 'No suggestions yet' }));
  }

  function cardNode(ev) {
    const d = ev.data;
    const dismiss = h('button', { testid: 'card-dismiss', cls: 'icon-btn', text: '×', attrs: { type: 'button', 'aria-label': `Dismiss “${d.title || 'card'}”`, title: 'Dismiss' } });
    dismiss.addEventListener('click', () => {
      localDismissed.add(ev.seq);
      conn.send({ op: 'card.dismiss', conversationId: id, seq: ev.seq });
      render();
    });
    const body = h('div', { testid: 'card-body', cls: 'card-body' });
    for (const line of String(d.body || '').split('\n')) if (line.trim()) body.append(h('p', { text: line }));
    return h('article', { testid: 'card', cls: `card p-${d.priority || 'low'}`, attrs: { role: 'listitem', 'data-seq': ev.seq, 'data-priority': d.priority || 'low', 'data-kind': d.kind || '' } },
      h('header', { cls: 'card-head' }, h('span', { cls: 'prio', text: d.priority || '' }), h('span', { testid: 'card-title', cls: 'card-title', text: d.title || '' }), dismiss),
      body);
  }

  function suggestionNode(r, index) {
    const b = h('button', { testid: 'suggestion', cls: 'suggestion', attrs: { type: 'button', 'data-index': index, title: `Press ${index} to use` } },
      h('kbd', { text: String(index) }), h('span', { cls: 'suggestion-text', text: r.text || '' }));
    if (typeof r.confidence === 'number') b.append(h('span', { cls: 'conf muted', text: `${Math.round(r.confidence * 100)}%` }));
    b.addEventListener('click', () => take(index));
    return b;
  }

  /** Puts suggestion `index` (1–3) into the composer for editing. */
  function take(index) {
    const r = suggestions[index - 1];
    if (!r) return false;
    composer.setText(r.text, r.id || null);
    composer.focus();
    return true;
  }

  return {
    el,
    show(cid) {
      id = cid;
      localDismissed = new Set();
      failedReplies = null;
      endDraft();
      setText(draftStatus, '');
      render();
    },
    close() {
      id = null;
      clear(cardsEl);
      clear(suggestionsEl);
    },
    take,
  };
}

function flagsText(flags) {
  return (flags || [])
    .map((f) => (typeof f === 'string' ? f : `${f.kind || f.code || 'flag'}${f.evidence ? ` “${f.evidence}”` : ''}`))
    .join('; ') || 'flagged';
}
