/**
 * thread.js — the conversation thread shared by the agent view and the supervisor's watch pane
 * (read-only there), and the lead panel beside it. Messages (one bubble per outboxId with its
 * latest delivery), calls with transcript and summary card, whispers set apart, system lines;
 * the lead's name, contact, tags, deal stage and appointment from the events and the summary.
 * Every string is put in with textContent; evidence words are marked with <mark>.
 */

import { h, clear, clock, dateTime, duration, highlight, money, setText } from './format.js';
import { displayName } from './summary.js';

export function createThread({ store }) {
  const log = h('div', { testid: 'thread', cls: 'thread', attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' } });
  const error = h('div', { testid: 'thread-error', cls: 'thread-error', hidden: true, attrs: { role: 'alert' } });
  const lead = createLeadPanel();
  let id = null;
  let st = null;
  let queue = [];

  store.on('conv-event', (cid, ev) => {
    if (cid !== id) return;
    queue.push(ev);
    store.schedule('thread:' + id, flush);
  });
  store.on('summary', (s) => {
    if (id && s.conversationId === id) lead.summary(s);
  });

  function flush() {
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    const batch = queue;
    queue = [];
    for (const ev of batch) render(ev);
    if (nearBottom || batch.length > 20) log.scrollTop = log.scrollHeight;
  }

  function reset() {
    clear(log);
    queue = [];
    st = { outbox: new Map(), calls: new Map(), lastCall: null, bySeq: new Map(), marks: null };
    error.hidden = true;
    lead.reset();
  }

  function render(ev) {
    const d = ev.data || {};
    switch (ev.kind) {
      case 'message.inbound':
      case 'message.outbound':
        return isCall(d) ? renderCall(ev, d) : renderMessage(ev, d);
      case 'call.transcribed':
        return renderTranscript(ev, d);
      case 'call.transcription_failed':
        return sysline(ev, `Call transcript unavailable: ${d.reason || 'unknown reason'}`);
      case 'coaching.card':
        if (d.kind === 'call.summary' || d.templateId === 'call.summary') renderCallSummary(ev, d);
        return undefined;
      case 'whisper':
        return add(ev, h('div', { testid: 'whisper', cls: 'whisper', attrs: { 'data-seq': ev.seq } },
          h('div', { cls: 'meta', text: `Whisper from ${d.from || 'supervisor'}${d.to ? ' to ' + d.to : ''} · ${clock(ev.at)}` }),
          h('div', { cls: 'whisper-text', text: d.text || '' })));
      case 'assignment.changed':
        return sysline(ev, assignmentText(d));
      case 'mode.changed':
        return sysline(ev, `AI mode set to ${d.mode || '?'}${d.by ? ' by ' + d.by : ''}`);
      case 'opt_out.changed':
        return sysline(ev, `Opted out: ${(d.channels || []).join(', ') || 'none'}`);
      case 'negotiation.opened':
        return sysline(ev, `Negotiation opened${d.listingPrice ? ' at ' + money(d.listingPrice) : ''}`);
      case 'alert':
        return sysline(ev, `Alert: ${d.message || d.reason || ''}`, 'alert-line');
      case 'autoresponder.decision':
        return sysline(ev, `Auto-responder ${d.action || ''}: ${d.reason || ''}`);
      case 'contact.updated':
        return lead.contact(d);
      case 'deal.updated':
        return lead.deal(d);
      case 'appointment.booked':
        lead.appointment(d);
        return sysline(ev, `Appointment booked: ${d.title || ''} ${dateTime(d.startTime)}`.trim());
      default:
        return undefined;
    }
  }

  function add(ev, node) {
    st.bySeq.set(ev.seq, node);
    log.append(node);
    if (st.marks && st.marks.seq === ev.seq) paint(ev.seq, st.marks.words);
  }

  function sysline(ev, text, extra = '') {
    add(ev, h('div', { testid: 'sysline', cls: `sysline ${extra}`.trim(), attrs: { 'data-seq': ev.seq, role: 'note' } },
      h('span', { cls: 'sys-time', text: clock(ev.at) }), ' ', text));
  }

  function renderMessage(ev, d) {
    const direction = d.direction || (ev.kind === 'message.inbound' ? 'inbound' : 'outbound');
    const existing = d.outboxId ? st.outbox.get(d.outboxId) : null;
    if (existing) return updateBubble(existing, ev, d);
    const text = h('div', { testid: 'msg-text', cls: 'msg-text' });
    text.textContent = d.text || '';
    const node = h('div', { testid: 'msg', cls: `msg ${direction}`, attrs: { 'data-seq': ev.seq, 'data-direction': direction, 'data-channel': d.channel || '', 'data-delivery': d.delivery || '' } },
      text, h('div', { cls: 'meta' }), h('div', { cls: 'msg-error', hidden: true }));
    node.textRaw = d.text || '';
    if (d.outboxId) st.outbox.set(d.outboxId, node);
    updateBubble(node, ev, d);
    add(ev, node);
  }

  function updateBubble(node, ev, d) {
    if (d.delivery) node.dataset.delivery = d.delivery;
    if (d.text && d.text !== node.textRaw) {
      node.textRaw = d.text;
      node.querySelector('.msg-text').textContent = d.text;
    }
    const who = d.userId ? ` · ${d.userId}` : '';
    const delivery = node.dataset.delivery ? ` · ${node.dataset.delivery}` : '';
    setText(node.querySelector('.meta'), `${d.channel || node.dataset.channel || ''} · ${clock(ev.at)}${who}${delivery}`);
    const err = node.querySelector('.msg-error');
    err.hidden = !d.error;
    if (d.error) err.textContent = `Not sent: ${d.error}`;
    st.bySeq.set(ev.seq, node);
  }

  function callNode(ev, d) {
    const node = h('div', { testid: 'call', cls: `call ${d.direction || ''}`, attrs: { 'data-seq': ev.seq, 'data-direction': d.direction || '', 'data-channel': d.channel || 'Call' } },
      h('div', { cls: 'call-head' }),
      h('div', { testid: 'call-transcript', cls: 'call-transcript', hidden: true }),
      h('div', { testid: 'call-summary', cls: 'call-summary', hidden: true }));
    if (d.messageId) st.calls.set(d.messageId, node);
    st.lastCall = node;
    add(ev, node);
    return node;
  }

  function renderCall(ev, d) {
    const node = callNode(ev, d);
    const secs = Number(d.callDuration);
    const parts = [`${d.direction === 'outbound' ? 'Outbound' : 'Inbound'} call`, clock(ev.at)];
    if (Number.isFinite(secs) && secs > 0) parts.push(duration(secs));
    if (d.callStatus || d.status) parts.push(d.callStatus || d.status);
    setText(node.firstChild, parts.join(' · '));
  }

  function renderTranscript(ev, d) {
    let node = st.calls.get(d.messageId);
    if (!node) {
      node = callNode(ev, { messageId: d.messageId });
      setText(node.firstChild, `Call · ${clock(ev.at)}`);
    }
    st.lastCall = node;
    const box = node.querySelector('.call-transcript');
    clear(box);
    for (const s of d.sentences || []) {
      const who = s.speaker === 'lead' ? 'Lead' : s.speaker === 'agent' ? 'Agent' : 'Unknown';
      box.append(h('p', { cls: `line ${s.speaker || 'unknown'}` }, h('span', { cls: 'speaker', text: who + ': ' }), s.text || ''));
    }
    box.hidden = false;
  }

  function renderCallSummary(ev, d) {
    const node = st.lastCall || callNode(ev, {});
    const box = node.querySelector('.call-summary');
    clear(box);
    box.append(h('div', { cls: 'card-title', text: d.title || 'Call summary' }));
    for (const line of String(d.body || '').split('\n')) if (line.trim()) box.append(h('p', { text: line }));
    box.hidden = false;
  }

  /** Marks `words` in the message with `seq` (the latest inbound); unmarks the previous one. */
  function mark(seq, words) {
    if (st.marks && st.marks.seq !== seq) paint(st.marks.seq, []);
    st.marks = seq == null ? null : { seq, words };
    if (seq != null) paint(seq, words);
  }

  function paint(seq, words) {
    const node = st.bySeq.get(seq);
    const text = node && node.querySelector('.msg-text');
    if (!text) return;
    clear(text);
    text.append(highlight(node.textRaw, words));
  }

  return {
    log,
    error,
    leadPanel: lead.el,
    get conversationId() {
      return id;
    },
    /** Shows a conversation: renders the events the store holds, then follows new ones. */
    show(cid) {
      id = cid;
      reset();
      log.dataset.conversationId = cid;
      const s = store.summaries.get(cid);
      if (s) lead.summary(s);
      const c = store.convs.get(cid);
      if (c) for (const ev of c.events) render(ev);
      log.scrollTop = log.scrollHeight;
    },
    close() {
      id = null;
      reset();
      delete log.dataset.conversationId;
    },
    showError(text) {
      error.textContent = text;
      error.hidden = false;
    },
    mark,
  };
}

function isCall(d) {
  return d.callDuration != null || d.callStatus != null || /^call$/i.test(d.channel || '') || /^TYPE_CALL$/i.test(d.channel || '');
}

function assignmentText(d) {
  if (d.reason === 'takeover') return `${d.assignedTo || 'A supervisor'} took over${d.previous ? ' from ' + d.previous : ''}`;
  if (d.reason === 'release') return `Released${d.assignedTo ? ' to ' + d.assignedTo : ''}`;
  return `Assigned to ${d.assignedTo || 'nobody'}${d.previous ? ' (was ' + d.previous + ')' : ''}`;
}

/** The lead panel: name, contact, tags, deal stage, appointment. */
function createLeadPanel() {
  const name = h('h2', { testid: 'lead-name', cls: 'lead-name' });
  const contact = h('div', { testid: 'lead-contact', cls: 'lead-contact muted' });
  const tags = h('ul', { testid: 'lead-tags', cls: 'tags', attrs: { 'aria-label': 'Tags' } });
  const stage = h('div', { testid: 'lead-stage', cls: 'lead-stage' });
  const appt = h('div', { testid: 'lead-appointment', cls: 'lead-appointment' });
  const el = h('section', { testid: 'lead-panel', cls: 'panel lead', attrs: { 'aria-label': 'Lead' } },
    name, contact, tags, row('Deal', stage), row('Appointment', appt));
  let fromContact = false;
  return {
    el,
    reset() {
      fromContact = false;
      for (const n of [name, contact, tags, stage, appt]) clear(n);
      setText(stage, '—');
      setText(appt, '—');
    },
    summary(s) {
      if (!fromContact || !name.textContent) setText(name, displayName(s));
    },
    contact(d) {
      const full = [d.firstName, d.lastName].filter(Boolean).join(' ');
      if (full) {
        fromContact = true;
        setText(name, full);
      }
      setText(contact, [d.phone, d.email].filter(Boolean).join(' · '));
      clear(tags);
      for (const t of d.tags || []) tags.append(h('li', { cls: 'tag', text: t }));
    },
    deal(d) {
      const parts = [d.name, d.stageId && `stage ${d.stageId}`, d.status, money(d.monetaryValue)].filter(Boolean);
      setText(stage, parts.join(' · ') || '—');
    },
    appointment(d) {
      setText(appt, [d.title, dateTime(d.startTime), d.address].filter(Boolean).join(' · ') || '—');
    },
  };
}

function row(label, value) {
  return h('div', { cls: 'kv' }, h('span', { cls: 'k', text: label }), value);
}
