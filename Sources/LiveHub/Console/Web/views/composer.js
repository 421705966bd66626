/**
 * composer.js — the agent's reply box. Text comes from typing, a suggestion or an AI draft; a
 * human sends it with `reply.send` (with `suggestionId` when it came from a suggestion). Sending
 * is disabled while someone else has the floor (`composer-floor` says who) and while the text is
 * an AI draft the guardrails flagged as not sendable as is.
 */

import { h, setText } from './format.js';

export function createComposer({ conn, store, me }) {
  const text = h('textarea', {
    testid: 'composer-text',
    cls: 'composer-text',
    attrs: { rows: '3', maxlength: '1600', placeholder: 'Write a reply… (r to focus, Ctrl+Enter to send)', 'aria-label': 'Reply' },
  });
  const send = h('button', { testid: 'composer-send', cls: 'btn primary', text: 'Send', attrs: { type: 'submit' } });
  const floor = h('div', { testid: 'composer-floor', cls: 'composer-floor', hidden: true, attrs: { role: 'status' } });
  const status = h('div', { testid: 'composer-status', cls: 'composer-status muted', attrs: { role: 'status', 'aria-live': 'polite' } });
  const form = h('form', { testid: 'composer', cls: 'composer', attrs: { 'aria-label': 'Reply to the lead' } },
    floor, text, h('div', { cls: 'composer-bar' }, status, send));

  let conversationId = null;
  let suggestion = null; // {id, text}
  let blocked = null; // a flagged draft's text: not sendable as is
  let floorBlocked = false;
  // A draft still streaming: read-only and not sendable until its finished text has been
  // checked by the server's guardrails (the `done` frame), so edits are never overwritten
  // and no half-draft goes out.
  let streaming = false;

  function refresh() {
    const value = text.value.trim();
    const isBlockedDraft = blocked != null && value === blocked.trim();
    text.disabled = floorBlocked || !conversationId;
    text.readOnly = streaming;
    send.disabled = floorBlocked || !conversationId || !value || isBlockedDraft || streaming;
    if (!value) suggestion = null;
  }

  text.addEventListener('input', refresh);
  text.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = text.value.trim();
    if (!conversationId || !value || send.disabled) return;
    const op = { op: 'reply.send', conversationId, text: value };
    if (suggestion) op.suggestionId = suggestion.id;
    if (!conn.send(op)) {
      setText(status, 'Not connected — the reply was not sent');
      return;
    }
    text.value = '';
    suggestion = null;
    blocked = null;
    setText(status, 'Sending…');
    refresh();
  });

  store.on('error', (f) => {
    if (f.op === 'reply.send' || f.op === 'reply.cancel') setText(status, `Not sent: ${f.message || f.code} (${f.code})`);
  });
  store.on('conv-event', (cid, ev) => {
    if (cid !== conversationId || ev.kind !== 'message.outbound' || !ev.data.outboxId) return;
    if (ev.data.delivery === 'sent') setText(status, 'Sent');
    else if (ev.data.delivery === 'failed') setText(status, `Failed: ${ev.data.error || 'GHL refused the message'}`);
  });

  return {
    form,
    text,
    setConversation(id) {
      if (id !== conversationId) {
        text.value = '';
        suggestion = null;
        blocked = null;
        streaming = false;
        setText(status, '');
      }
      conversationId = id;
      refresh();
    },
    /** Applies who has the floor from the summary. */
    setSummary(s) {
      const other = s && s.takenOverBy && s.takenOverBy !== me;
      floorBlocked = !!other;
      if (other) {
        floor.textContent = `${s.takenOverBy} (supervisor) has taken over — you cannot send`;
        floor.hidden = false;
      } else if (s && s.takenOverBy === me) {
        floor.textContent = 'You have the floor';
        floor.hidden = false;
      } else {
        floor.hidden = true;
        floor.textContent = '';
      }
      refresh();
    },
    /** Puts text in the box for editing; suggestionId when it came from a suggestion. */
    setText(value, suggestionId = null) {
      streaming = false;
      text.value = value || '';
      suggestion = suggestionId ? { id: suggestionId, text: value } : null;
      blocked = null;
      refresh();
    },
    append(value) {
      streaming = true;
      text.value += value || '';
      suggestion = null;
      refresh();
      text.scrollTop = text.scrollHeight;
    },
    /** A finished draft: sendable as is, or blocked until edited. */
    setDraft(value, sendable) {
      streaming = false;
      text.value = value || '';
      suggestion = null;
      blocked = sendable ? null : text.value;
      refresh();
    },
    /** A draft that stopped before its end (failed, refused): what streamed stays, editable. */
    endStream() {
      streaming = false;
      refresh();
    },
    value() {
      return text.value;
    },
    status(msg) {
      setText(status, msg);
    },
    focus() {
      if (!text.disabled) text.focus();
    },
  };
}
