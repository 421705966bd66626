/**
 * store.js — the console's state and its one render loop. Holds the conversation summaries,
 * viewers, agent presence, alerts and auto-responder decisions from `location:{id}` (applied by
 * location.js); the event
 * list of every opened conversation (applied strictly in seq order: duplicates dropped, gaps
 * back-filled over HTTP) and of every negotiation. Views listen with `on(name, fn)` and queue
 * their DOM work with `schedule(key, fn)`: all of it runs once per animation frame.
 * `window.__livehub` = {frames, lastRenderMs, eventsApplied} is kept here.
 */

import { applyLocation, startLocationReplay } from './location.js';

export class Store {
  constructor(api) {
    this.api = api;
    this.conn = null; // set by app.js once the connection exists
    this.summaries = new Map();
    this.viewers = new Map();
    this.presence = new Map();
    this.convs = new Map();
    this.negs = new Map();
    this.viewerVersions = new Map();
    /** While a location's replay is arriving: {left, seen} (location.js). */
    this.locationReplay = null;
    this.alerts = new Map();
    this.ackedAlerts = new Set();
    this.decisions = new Map();
    this.listeners = new Map();
    this.jobs = new Map();
    this.raf = 0;
    this.stats = { frames: 0, lastRenderMs: 0, eventsApplied: 0 };
    window.__livehub = this.stats;
  }

  // ---- listeners and the per-frame render loop ----

  on(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(fn);
    return () => this.listeners.get(name).delete(fn);
  }

  emit(name, ...args) {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(...args);
      } catch (err) {
        console.error(err);
      }
    }
  }

  /** Queues DOM work for the next animation frame; the same key runs once per frame. */
  schedule(key, fn) {
    this.jobs.set(key, fn);
    if (!this.raf) this.raf = requestAnimationFrame(() => this.flush());
  }

  flush() {
    this.raf = 0;
    const start = performance.now();
    const jobs = this.jobs;
    this.jobs = new Map();
    for (const fn of jobs.values()) {
      try {
        fn();
      } catch (err) {
        console.error(err);
      }
    }
    this.stats.frames += 1;
    this.stats.lastRenderMs = performance.now() - start;
  }

  // ---- frames from the socket ----

  applyFrame(f) {
    switch (f.type) {
      case 'event':
        this.stats.eventsApplied += 1;
        return this.applyEvent(f);
      case 'subscribed':
        if (f.topic && f.topic.startsWith('location:')) startLocationReplay(this, f);
        if (f.topic && f.topic.startsWith('negotiation:')) {
          const n = this.neg(f.topic.slice(12));
          if (n.noSince && typeof f.head === 'number') n.lastSeq = Math.max(n.lastSeq, f.head);
          n.noSince = false;
        }
        return this.emit('subscribed', f);
      case 'resync':
        return this.resync(f.topic, f.reason);
      case 'error':
        return this.applyError(f);
      case 'reply.draft.delta':
      case 'reply.draft.done':
      case 'reply.draft.failed':
        return this.emit('draft', f);
      default:
        return undefined;
    }
  }

  applyEvent(f) {
    const topic = f.topic || '';
    const kind = f.kind;
    const data = f.data || {};
    if (kind === 'conversation.viewers') {
      const id = data.conversationId || f.conversationId;
      // Announcements may cross on the way: the server numbers them, the older one loses.
      const version = typeof data.version === 'number' ? data.version : 0;
      if (version < (this.viewerVersions.get(id) || 0)) return undefined;
      this.viewerVersions.set(id, version);
      this.viewers.set(id, Array.isArray(data.viewers) ? data.viewers : []);
      return this.emit('viewers', id);
    }
    if (topic.startsWith('location:')) return applyLocation(this, f, kind, data);
    if (topic.startsWith('conversation:')) {
      const id = f.conversationId || topic.slice(13);
      const c = this.convs.get(id);
      if (c && c.loaded && typeof f.seq === 'number') this.insert(id, c, normalize(f));
      return undefined;
    }
    if (topic.startsWith('negotiation:')) return this.applyNegotiation(f.negotiationId || topic.slice(12), f);
    if (topic.startsWith('agent:')) {
      const c = f.conversationId && this.convs.get(f.conversationId);
      if (c && c.loaded && typeof f.seq === 'number') this.insert(f.conversationId, c, normalize(f));
      return this.emit('agent-event', f);
    }
    return undefined;
  }

  applyError(f) {
    // Refused subscriptions name their topic; a revoked one (reassignment) names it in the message.
    const m = /\b((?:conversation|negotiation|location|agent):[^\s"',;]+)/.exec(f.message || '');
    const topic = f.topic || (m ? m[1] : null);
    if (f.code === 'forbidden' && topic && this.conn && this.conn.topics.has(topic)) {
      this.conn.forget(topic);
      this.emit('forbidden', topic, f);
    }
    this.emit('error', f, topic);
  }

  /** The `since` to resume a topic with; undefined = start live. */
  sinceFor(topic) {
    if (topic.startsWith('conversation:')) {
      const c = this.convs.get(topic.slice(13));
      return c && c.loaded ? c.lastSeq : undefined;
    }
    if (topic.startsWith('negotiation:')) {
      const n = this.neg(topic.slice(12));
      return n.noSince ? undefined : n.lastSeq;
    }
    return undefined;
  }

  async resync(topic, reason) {
    if (!topic || !this.conn) return;
    if (topic.startsWith('conversation:') && reason === 'history_too_long') {
      const id = topic.slice(13);
      try {
        await this.backfill(id);
      } catch (err) {
        console.warn('resync back-fill failed', err);
      }
    } else if (topic.startsWith('negotiation:') && reason === 'history_too_long') {
      this.neg(topic.slice(12)).noSince = true; // no HTTP page for negotiations: start live
    }
    this.conn.resubscribe(topic);
  }

  // ---- conversations ----

  conv(id) {
    let c = this.convs.get(id);
    if (!c) {
      c = { id, events: [], lastSeq: 0, pending: new Map(), loaded: false, backfilling: null };
      this.convs.set(id, c);
    }
    return c;
  }

  /** Loads a conversation's history over HTTP (pages, after what is held); throws ApiError. */
  async openConversation(id) {
    const c = this.conv(id);
    await this.backfill(id);
    c.loaded = true;
    return c;
  }

  backfill(id) {
    const c = this.conv(id);
    if (c.backfilling) return c.backfilling;
    c.backfilling = (async () => {
      try {
        await this.api.eventsAfter(id, c.lastSeq, (events) => {
          for (const e of events) this.insert(id, c, normalize(e), true);
        });
      } finally {
        c.backfilling = null;
      }
      // What is pending and follows on is applied; a gap still open (an event committed after
      // the page was read, that arrived out of order) is read again, never skipped.
      for (const seq of [...c.pending.keys()]) if (seq <= c.lastSeq) c.pending.delete(seq);
      while (c.pending.has(c.lastSeq + 1)) {
        const next = c.pending.get(c.lastSeq + 1);
        c.pending.delete(next.seq);
        this.apply(id, c, next);
      }
      if (c.pending.size > 0) {
        c.refills = (c.refills || 0) + 1;
        if (c.refills <= 5) return this.backfill(id);
      }
      c.refills = 0;
    })();
    return c.backfilling;
  }

  insert(id, c, ev, fromHistory = false) {
    if (ev.seq <= c.lastSeq || c.pending.has(ev.seq)) return;
    if (ev.seq !== c.lastSeq + 1) {
      c.pending.set(ev.seq, ev);
      if (!fromHistory && !c.backfilling) this.backfill(id).catch((err) => console.warn('back-fill failed', err));
      return;
    }
    this.apply(id, c, ev);
    while (c.pending.has(c.lastSeq + 1)) {
      const next = c.pending.get(c.lastSeq + 1);
      c.pending.delete(next.seq);
      this.apply(id, c, next);
    }
  }

  apply(id, c, ev) {
    c.events.push(ev);
    c.lastSeq = ev.seq;
    this.emit('conv-event', id, ev);
  }

  // ---- negotiations ----

  neg(id) {
    let n = this.negs.get(id);
    if (!n) {
      n = { id, events: [], seen: new Set(), lastSeq: 0, noSince: false };
      this.negs.set(id, n);
    }
    return n;
  }

  applyNegotiation(id, f) {
    const n = this.neg(id);
    if (typeof f.seq === 'number') {
      if (n.seen.has(f.seq)) return;
      n.seen.add(f.seq);
      n.lastSeq = Math.max(n.lastSeq, f.seq);
    }
    const ev = normalize(f);
    n.events.push(ev);
    this.emit('neg-event', id, ev);
  }
}

function normalize(e) {
  return { seq: e.seq, kind: e.kind, at: e.at, data: e.data || {} };
}
