/**
 * connection.js — the one WebSocket to `/v1/ws`. Reconnects on any drop with exponential
 * backoff (0.5 s doubling to 10 s, with jitter), refreshes the token first when the server
 * closed with 1008 or the upgrade failed with an expired token, and resubscribes every open
 * topic on each `hello` with `since` (asked of `sinceFor(topic)` at that moment) so nothing is
 * missed or shown twice. Reports its state: live | reconnecting | offline (after 5 failures).
 */

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 10000;
const BANNER_AFTER = 5;
const PING_EVERY_MS = 25000;
const SILENCE_LIMIT_MS = 70000;

export class Connection {
  /**
   * opts: {
   *   token: () => string|null, secondsLeft: () => number,
   *   refresh: () => Promise<'ok'|'expired'|'failed'>,
   *   sinceFor: (topic) => number|undefined,
   *   onFrame: (frame) => void, onState: (state) => void }
   */
  constructor(opts) {
    this.opts = opts;
    this.topics = new Set();
    this.ws = null;
    this.state = 'reconnecting';
    this.failures = 0;
    this.live = false;
    this.stopped = false;
    this.retryTimer = null;
    this.pingTimer = null;
    this.lastFrameAt = 0;
    this.lastEventAt = null;
    this.needRefresh = false;
    window.addEventListener('online', () => this.connectNow());
    window.addEventListener('offline', () => this.setState('offline'));
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    if (this.ws) this.ws.close(1000, 'signed out');
    this.ws = null;
    this.setState('offline');
  }

  /** Keeps `topic` subscribed across reconnects; subscribes now when live. */
  subscribe(topic) {
    this.topics.add(topic);
    if (this.live) this.sendSubscribe(topic);
  }

  /** Subscribes again (after a resync), with a fresh `since`. */
  resubscribe(topic) {
    if (!this.topics.has(topic)) return;
    if (this.live) this.sendSubscribe(topic);
  }

  unsubscribe(topic) {
    if (!this.topics.delete(topic)) return;
    if (this.live) this.send({ op: 'unsubscribe', topic });
  }

  /** Forgets a topic the server ended (forbidden): it is not resumed. */
  forget(topic) {
    this.topics.delete(topic);
  }

  /** Sends an op; false when not connected. */
  send(obj) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(obj));
    return true;
  }

  sendSubscribe(topic) {
    const op = { op: 'subscribe', topic };
    const since = this.opts.sinceFor(topic);
    if (since != null) op.since = since;
    this.send(op);
  }

  connectNow() {
    if (this.stopped || this.live || this.ws) return;
    this.connect();
  }

  async connect() {
    if (this.stopped || this.connecting || this.ws) return;
    clearTimeout(this.retryTimer);
    if (this.needRefresh || this.opts.secondsLeft() < 20) {
      this.needRefresh = false;
      this.connecting = true;
      const r = await this.opts.refresh();
      this.connecting = false;
      if (r === 'expired' || this.stopped) return this.stop();
      if (this.ws) return;
    }
    const token = this.opts.token();
    if (!token) return this.stop();
    const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${proto}//${window.location.host}/v1/ws?access_token=${encodeURIComponent(token)}`;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      return this.scheduleRetry(false);
    }
    this.ws = ws;
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
    });
    ws.addEventListener('message', (ev) => this.onMessage(ev));
    ws.addEventListener('close', (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      const wasLive = this.live;
      this.live = false;
      clearInterval(this.pingTimer);
      if (this.stopped) return;
      if (ev.code === 1008) this.needRefresh = true;
      // A failed upgrade cannot tell 401 from a dead server: refresh first (on the first failure
      // and every third after it, or when the token is about to expire); the refresh decides.
      if (!opened && (this.opts.secondsLeft() < 60 || this.failures % 3 === 0)) this.needRefresh = true;
      this.scheduleRetry(wasLive);
    });
  }

  scheduleRetry(wasLive) {
    // A drop from a live socket retries after 0.5 s; each failed attempt doubles it, to 10 s.
    if (wasLive) this.failures = 0;
    else this.failures += 1;
    const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.failures);
    const jittered = delay * (0.75 + Math.random() * 0.5);
    this.setState(this.failures >= BANNER_AFTER || navigator.onLine === false ? 'offline' : 'reconnecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), Math.min(MAX_DELAY_MS, jittered));
  }

  onMessage(ev) {
    this.lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    if (frame.type === 'hello') {
      this.live = true;
      this.failures = 0;
      this.setState('live');
      this.startPing();
      for (const topic of this.topics) this.sendSubscribe(topic);
    } else if (frame.type === 'event') {
      this.lastEventAt = Date.now();
      this.setState(this.state, true);
    }
    this.opts.onFrame(frame);
  }

  startPing() {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (!this.ws) return;
      if (Date.now() - this.lastFrameAt > SILENCE_LIMIT_MS) {
        this.ws.close(4000, 'silent');
        return;
      }
      this.send({ op: 'ping' });
    }, PING_EVERY_MS);
  }

  setState(state, eventOnly = false) {
    const changed = state !== this.state || this.failures !== this.reportedFailures;
    this.state = state;
    this.reportedFailures = this.failures;
    if (changed || eventOnly) this.opts.onState({ state, failures: this.failures, lastEventAt: this.lastEventAt });
  }
}
