/**
 * watch.js — the supervisor's watch pane: any conversation's thread, read-only (history over
 * HTTP, then `conversation:{id}` with `since`; never marks anything read), its lead panel,
 * and the controls: whisper to the agent, take over, release, AI mode. Their effects come back
 * as events (whisper, assignment.changed, mode.changed) and show in the thread.
 */

import { h, nowSec, setText } from './format.js';
import { aiState, displayName, viewersText } from './summary.js';
import { createThread } from './thread.js';

export function createWatch({ store, conn, me, onClose }) {
  const thread = createThread({ store });
  const title = h('h2', { cls: 'thread-title' });
  const who = h('div', { cls: 'muted small' });
  const closeBtn = h('button', { cls: 'icon-btn', text: '×', attrs: { type: 'button', 'aria-label': 'Close the watch pane', title: 'Close (Esc)' } });
  closeBtn.addEventListener('click', () => onClose());

  const whisperText = h('input', { testid: 'whisper-text', cls: 'input', attrs: { type: 'text', maxlength: '500', placeholder: 'Whisper to the agent…', 'aria-label': 'Whisper text' } });
  const whisperBtn = h('button', { testid: 'watch-whisper', cls: 'btn', text: 'Whisper', attrs: { type: 'submit' } });
  const whisperForm = h('form', { cls: 'whisper-form' }, whisperText, whisperBtn);
  const takeover = h('button', { testid: 'watch-takeover', cls: 'btn', text: 'Take over', attrs: { type: 'button' } });
  const release = h('button', { testid: 'watch-release', cls: 'btn', text: 'Release', attrs: { type: 'button' } });
  const mode = h('select', { testid: 'watch-mode', cls: 'input', attrs: { 'aria-label': 'AI mode' } },
    ...['off', 'suggest', 'auto'].map((m) => h('option', { text: m, attrs: { value: m } })));
  const status = h('div', { cls: 'watch-status muted', attrs: { role: 'status', 'aria-live': 'polite' } });
  const controls = h('div', { cls: 'watch-controls' }, whisperForm, takeover, release, h('label', { cls: 'mode-label' }, 'AI ', mode));

  const el = h('section', { testid: 'watch', cls: 'watch', hidden: true, attrs: { 'aria-label': 'Watch pane' } },
    h('header', { cls: 'thread-head' }, h('div', { cls: 'grow' }, title, who), closeBtn),
    controls, status, thread.error, thread.log, thread.leadPanel);

  let id = null;

  function op(obj) {
    if (!id) return;
    if (!conn.send({ ...obj, conversationId: id })) setText(status, 'Not connected — try again when live');
    else setText(status, '');
  }

  whisperForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = whisperText.value.trim();
    if (!text) return;
    op({ op: 'whisper', text });
    whisperText.value = '';
  });
  takeover.addEventListener('click', () => op({ op: 'takeover' }));
  release.addEventListener('click', () => op({ op: 'release' }));
  mode.addEventListener('change', () => op({ op: 'mode.set', mode: mode.value }));

  store.on('error', (f) => {
    if (id && ['whisper', 'takeover', 'release', 'mode.set'].includes(f.op)) setText(status, `${f.op} refused: ${f.message || f.code} (${f.code})`);
  });
  store.on('summary', (s) => {
    if (s.conversationId === id) store.schedule('watch-head', () => applySummary(s));
  });
  store.on('viewers', (cid) => {
    if (cid === id) store.schedule('watch-head', () => applySummary(store.summaries.get(cid)));
  });

  function applySummary(s) {
    if (!s) return;
    setText(title, displayName(s));
    const v = viewersText(store.viewers.get(s.conversationId), me);
    setText(who, [`agent: ${s.assignedTo || 'unassigned'}`, `AI: ${aiState(s, me, nowSec())}`, s.state, v].filter(Boolean).join(' · '));
    if (document.activeElement !== mode && s.mode) mode.value = s.mode;
    takeover.disabled = s.takenOverBy === me;
    release.disabled = !s.takenOverBy;
  }

  return {
    el,
    get conversationId() {
      return id;
    },
    async open(cid) {
      if (cid === id) return;
      this.close();
      id = cid;
      el.hidden = false;
      setText(title, cid);
      setText(who, '');
      setText(status, '');
      thread.show(cid);
      thread.log.hidden = false;
      applySummary(store.summaries.get(cid));
      try {
        await store.openConversation(cid);
      } catch (err) {
        if (id !== cid) return;
        const denied = err && (err.status === 403 || err.status === 404);
        thread.showError(denied ? 'You cannot open this conversation' : `The conversation could not be loaded: ${err.message}`);
        thread.log.hidden = true;
        return;
      }
      if (id === cid) conn.subscribe(`conversation:${cid}`);
    },
    close() {
      if (!id) return;
      conn.unsubscribe(`conversation:${id}`);
      id = null;
      thread.close();
      el.hidden = true;
    },
  };
}
