/**
 * store.js — the console's state and its one render loop. Holds the conversation summaries,
 * viewers, agent presence, alerts and auto-responder decisions from `location:{id}`; the event
 * list of every opened conversation (applied strictly in seq order: duplicates dropped, gaps
 * back-filled over HTTP) and of every negotiation. Views listen with `on(name, fn)` and queue
 * their DOM work with `schedule(key, fn)`: all of it runs once per animation frame.
 * `window.__livehub` = {frames, lastRenderMs, eventsApplied} is kept here.
 */

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
        // A location's `replayed` summaries follow at once: whatever is not among them left
        // while we were away (reassigned, or gone), and is pruned once they are in.
        if (f.topic && f.topic.startsWith('location:')) {
          // The snapshot that follows says who is online and watching now: what we knew from
          // before (a reconnect, perhaps another server) is dropped, not merged.
          const watched = [...this.viewers.keys()];
          this.presence.clear();
          this.viewers.clear();
          this.viewerVersions.clear();
          this.emit('presence', null);
          for (const id of watched) this.emit('viewers', id);
          this.locationReplay = { left: f.replayed || 0, seen: new Set() };
          if (this.locationReplay.left === 0) this.pruneLocation();
        }
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
    if (topic.startsWith('location:')) return this.applyLocation(f, kind, data);
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

  applyLocation(f, kind, data) {
    if (kind === 'conversation.summary') {
      const prev = this.summaries.get(data.conversationId);
      this.summaries.set(data.conversationId, data);
      const replay = this.locationReplay;
      this.openAlertsOf(data);
      if (replay) {
        replay.seen.add(data.conversationId);
        replay.left -= 1;
      }
      this.emit('summary', data, prev);
      if (replay && replay.left <= 0) this.pruneLocation();
      return undefined;
    }
    if (kind === 'conversation.removed') {
      this.summaries.delete(data.conversationId);
      return this.emit('removed', data.conversationId);
    }
    if (kind === 'agent.presence') {
      const user = f.user || data.user;
      if (!user) return undefined;
      this.presence.set(user, !!(f.online ?? data.online));
      return this.emit('presence', user);
    }
    const cid = f.conversationId || data.conversationId;
    if (kind === 'alert') {
      const key = `${cid}:${f.seq}`;
      if (this.alerts.has(key)) return undefined;
      const alert = { key, conversationId: cid, seq: f.seq, at: f.at, ...data, acked: this.ackedAlerts.has(key) };
      this.alerts.set(key, alert);
      return this.emit('alert', alert);
    }
    if (kind === 'alert.acknowledged') {
      const key = `${cid}:${data.alertSeq}`;
      this.ackedAlerts.add(key);
      const alert = this.alerts.get(key);
      if (alert && !alert.acked) {
        alert.acked = true;
        alert.ackedBy = data.by;
        this.emit('alert-acked', alert);
      }
      return undefined;
    }
    if (kind === 'autoresponder.decision') {
      const key = `${cid}:${f.seq}`;
      if (this.decisions.has(key)) return undefined;
      const decision = { key, conversationId: cid, seq: f.seq, at: f.at, ...data };
      this.decisions.set(key, decision);
      return this.emit('decision', decision);
    }
    return undefined;
  }

  /** Ends a location replay: drops the conversations it did not list. */
  pruneLocation() {
    const seen = this.locationReplay ? this.locationReplay.seen : new Set();
    this.locationReplay = null;
    for (const id of [...this.summaries.keys()]) {
      if (seen.has(id)) continue;
      this.summaries.delete(id);
      this.emit('removed', id);
    }
  }

  /**
   * The alerts a summary says are still open (`openAlerts`): those raised before this page
   * subscribed join the feed; one the feed holds as open but the summary no longer lists was
   * acknowledged elsewhere (perhaps while the socket was down).
   */
  openAlertsOf(s) {
    const open = Array.isArray(s.openAlerts) ? s.openAlerts : [];
    const openKeys = new Set(open.map((a) => `${s.conversationId}:${a.seq}`));
    // Live alerts arrive as `alert` events right after their summary; only a (re)subscription's
    // replay adds the older ones from here.
    for (const a of this.locationReplay ? open : []) {
      const key = `${s.conversationId}:${a.seq}`;
      if (this.alerts.has(key) || this.ackedAlerts.has(key)) continue;
      const alert = { key, conversationId: s.conversationId, seq: a.seq, reason: a.reason, at: s.lastMessageAt, message: '', acked: false };
      this.alerts.set(key, alert);
      this.emit('alert', alert);
    }
    for (const alert of this.alerts.values()) {
      if (alert.conversationId !== s.conversationId || alert.acked || openKeys.has(alert.key)) continue;
      // Raised after this summary was made? Only an alert older than the summary's head is settled.
      if (typeof s.head === 'number' && alert.seq > s.head) continue;
      alert.acked = true;
      this.ackedAlerts.add(alert.key);
      this.emit('alert-acked', alert);
    }
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
