/**
 * agent.js — the agent view: conversation list on the left, the thread and composer in the
 * middle, the lead, coaching and negotiation on the right. Opening a conversation loads its
 * history over HTTP (pages), then subscribes `conversation:{id}` with `since`; whispers and
 * takeovers arrive as events. Also follows `location:{id}` (summaries) and `agent:{me}`.
 */

import { h, clear, nowSec, setText } from './format.js';
import { aiState, displayName, viewersText } from './summary.js';
import { createConvList } from './convlist.js';
import { createThread } from './thread.js';
import { createComposer } from './composer.js';
import { createCoaching } from './coaching.js';
import { createNegotiation } from './negotiation.js';
import { installKeyboard } from './keyboard.js';

export function mountAgent(root, { store, conn, api, session }) {
  const me = session.user;
  const slaSeconds = session.slaSeconds || 120;
  const list = createConvList({ store, me, slaSeconds, onOpen: (id) => navigate(id) });
  const thread = createThread({ store });
  const composer = createComposer({ conn, store, me });
  const coaching = createCoaching({ store, conn, thread, composer });
  const negotiation = createNegotiation({ store, conn });

  const title = h('h2', { cls: 'thread-title', text: 'No conversation open' });
  const ai = h('span', { cls: 'chip ai' });
  const viewers = h('span', { cls: 'viewers muted' });
  const closeBtn = h('button', { cls: 'icon-btn', text: '×', attrs: { type: 'button', 'aria-label': 'Close the conversation (Esc)', title: 'Close (Esc)' } });
  closeBtn.addEventListener('click', () => navigate(null));
  const head = h('header', { cls: 'thread-head' }, title, ai, viewers, closeBtn);
  const placeholder = h('p', { cls: 'placeholder muted', text: 'Pick a conversation — j / k to move, r to reply, 1–3 to take a suggestion.' });
  const toasts = h('div', { cls: 'toasts', attrs: { 'aria-live': 'polite' } });
  const side = h('aside', { cls: 'side-col', attrs: { 'aria-label': 'Lead and coaching' } }, thread.leadPanel, coaching.el, negotiation.el);
  const center = h('section', { cls: 'thread-col', attrs: { 'aria-label': 'Thread' } }, head, thread.error, placeholder, thread.log, composer.form);
  const view = h('main', { testid: 'agent-view', cls: 'agent-view' }, list.el, center, side, toasts);
  clear(root);
  root.append(view);

  let openId = null;
  setOpenUi(false);

  conn.subscribe(`location:${session.locationId}`);
  conn.subscribe(`agent:${me}`);

  store.on('forbidden', (topic) => {
    if (topic === `location:${session.locationId}`) pollList();
    else if (openId && topic === `conversation:${openId}`) {
      thread.showError('You cannot open this conversation any more: it was reassigned');
      composer.setConversation(null);
    }
  });
  store.on('summary', (s) => {
    if (s.conversationId === openId) store.schedule('agent-head', () => applySummary(s));
  });
  store.on('viewers', (id) => {
    if (id === openId) store.schedule('agent-head', () => applySummary(store.summaries.get(id)));
  });
  store.on('agent-event', (f) => {
    if (f.kind === 'whisper' && f.conversationId !== openId) toast(f);
  });
  setInterval(() => {
    if (openId) setText(ai, aiState(store.summaries.get(openId), me, nowSec()));
  }, 1000);

  /** Agents may not hold the location topic on an older server: list over HTTP instead. */
  async function pollList() {
    try {
      const res = await api.get(`/v1/conversations?location=${encodeURIComponent(session.locationId)}&state=active&limit=500`);
      for (const s of res.conversations || []) store.applyFrame({ type: 'event', topic: `location:${s.locationId}`, kind: 'conversation.summary', data: s });
    } catch (err) {
      console.warn('conversation list', err);
    }
    setTimeout(pollList, 20000);
  }

  function applySummary(s) {
    if (!s) return;
    setText(title, displayName(s));
    setText(ai, aiState(s, me, nowSec()));
    setText(viewers, viewersText(store.viewers.get(s.conversationId), me));
    composer.setSummary(s);
    negotiation.show(s.conversationId, s.negotiationId);
  }

  function setOpenUi(isOpen) {
    placeholder.hidden = isOpen;
    head.hidden = !isOpen;
    thread.log.hidden = !isOpen;
    composer.form.hidden = !isOpen;
  }

  async function open(id) {
    if (id === openId) return;
    close();
    openId = id;
    setOpenUi(true);
    list.revealTab(id);
    list.setOpen(id);
    thread.show(id);
    composer.setConversation(id);
    coaching.show(id);
    negotiation.show(id, null);
    setText(title, id);
    const s = store.summaries.get(id);
    if (s) applySummary(s);
    try {
      await store.openConversation(id);
    } catch (err) {
      if (openId !== id) return;
      const denied = err && (err.status === 403 || err.status === 404);
      thread.showError(denied ? 'You cannot open this conversation' : `The conversation could not be loaded: ${err.message}`);
      thread.log.hidden = true;
      composer.setConversation(null);
      return;
    }
    if (openId !== id) return;
    conn.subscribe(`conversation:${id}`);
    if (!store.summaries.has(id)) {
      api.get(`/v1/conversations/${encodeURIComponent(id)}`)
        .then((sum) => openId === id && applySummary(sum))
        .catch(() => {});
    }
  }

  function close() {
    if (!openId) return;
    conn.unsubscribe(`conversation:${openId}`);
    openId = null;
    list.setOpen(null);
    thread.close();
    coaching.close();
    negotiation.close();
    composer.setConversation(null);
    setText(title, 'No conversation open');
    setOpenUi(false);
  }

  function navigate(id) {
    const hash = id ? `#/c/${encodeURIComponent(id)}` : '#/';
    if (window.location.hash !== hash) window.location.hash = hash;
    else route(id);
  }

  function step(delta) {
    const order = list.order();
    if (!order.length) return;
    const at = order.indexOf(openId);
    const next = at === -1 ? (delta > 0 ? 0 : order.length - 1) : Math.min(order.length - 1, Math.max(0, at + delta));
    navigate(order[next]);
  }

  function toast(f) {
    const s = store.summaries.get(f.conversationId);
    const t = h('button', { cls: 'toast', attrs: { type: 'button' } },
      h('b', { text: `Whisper from ${(f.data && f.data.from) || 'supervisor'}` }), ` about ${displayName(s) || f.conversationId}: `, (f.data && f.data.text) || '');
    t.addEventListener('click', () => {
      t.remove();
      navigate(f.conversationId);
    });
    toasts.append(t);
    setTimeout(() => t.remove(), 10000);
  }

  installKeyboard({
    next: () => step(1),
    prev: () => step(-1),
    reply: () => composer.focus(),
    take: (n) => (openId ? coaching.take(n) : false),
    escape: (field) => (field ? field.blur() : navigate(null)),
  });

  return {
    /** `#/c/<id>` → open; anything else → close. */
    route(id) {
      if (id) open(id);
      else close();
    },
  };
}
