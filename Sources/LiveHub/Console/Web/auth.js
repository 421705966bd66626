/**
 * auth.js — sign-in and the session's life: a login ticket from `#login=`, GHL SSO through
 * postMessage when framed by GHL, else a stored unexpired session (sessionStorage
 * `livehub.session`); refresh at ~80% of the token's lifetime; "session expired" when a refresh
 * is refused. Errors are turned into human sentences for `[data-testid=signin-error]`.
 */

import { ApiError } from './api.js';

export const SESSION_KEY = 'livehub.session';
const SSO_TIMEOUT_MS = 10000;

const MESSAGES = {
  invalid_ticket: 'This login link is not valid',
  ticket_expired: 'This login link has expired — ask for a new one',
  ticket_used: 'This login link was already used',
  invalid_body: 'The sign-in request was refused',
  invalid_payload: 'GHL sent a sign-in payload LiveHub cannot read',
  sso_rejected: "GHL's sign-in could not be verified",
  no_location: 'Open LiveHub from a sub-account: GHL sent an agency context without a location',
  sso_not_configured: 'GHL sign-in is not configured on this LiveHub server',
  unauthorized: 'Your session expired — open LiveHub again',
  network: 'The LiveHub server could not be reached',
  sso_timeout: 'GHL did not answer with the user context',
};

/** A human sentence for an error, ending with its code in parentheses. */
export function describeError(err) {
  const code = (err && err.code) || 'error';
  const text = MESSAGES[code] || (err && err.message) || 'Sign-in failed';
  return `${text} (${code})`;
}

export class Auth {
  constructor(api) {
    this.api = api;
    this.session = null;
    this.timer = null;
    this.expiredListeners = [];
  }

  token() {
    return this.session ? this.session.accessToken : null;
  }

  /** Seconds left before the token expires (negative when expired). */
  secondsLeft() {
    return this.session ? this.session.expiresAt - Date.now() / 1000 : -1;
  }

  onExpired(fn) {
    this.expiredListeners.push(fn);
  }

  /**
   * Signs in by the contract's order. Resolves {session} or {error} (a sentence) or {} when
   * there is nothing to sign in with.
   */
  async signIn() {
    try {
      const ticket = takeLoginTicket();
      if (ticket !== null) return { session: this.accept(await this.api.post('/v1/login', { ticket }, { auth: false })) };
      if (window.parent !== window) {
        const payload = await requestGhlUserData();
        return { session: this.accept(await this.api.post('/v1/sso/ghl', { payload }, { auth: false })) };
      }
      const stored = readStored();
      if (stored) return { session: this.accept(stored, true) };
      return {};
    } catch (err) {
      return { error: describeError(err) };
    }
  }

  accept(session, fromStorage = false) {
    if (!session || !session.accessToken) throw new ApiError(500, 'invalid_session', 'The server sent no session');
    const s = { ...session };
    if (!fromStorage || !s.obtainedAt) s.obtainedAt = Date.now() / 1000;
    this.session = s;
    try {
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
    } catch {
      /* private mode: the session lives in memory only */
    }
    this.scheduleRefresh();
    return s;
  }

  scheduleRefresh() {
    clearTimeout(this.timer);
    const s = this.session;
    if (!s) return;
    const now = Date.now() / 1000;
    const lifetime = Math.max(1, s.expiresAt - s.obtainedAt);
    const at = s.obtainedAt + lifetime * 0.8;
    const delayMs = Math.max(1000, (at - now) * 1000);
    this.timer = setTimeout(() => this.refresh(), Math.min(delayMs, 2 ** 31 - 1));
  }

  /** Refreshes the token. Resolves 'ok', 'expired' (refused: session over) or 'failed' (network). */
  async refresh() {
    if (!this.session) return 'expired';
    if (this.pending) return this.pending;
    this.pending = (async () => {
      try {
        const next = await this.api.post('/v1/token/refresh');
        this.accept({ ...this.session, ...next, obtainedAt: Date.now() / 1000 }, true);
        return 'ok';
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          this.expire();
          return 'expired';
        }
        if (this.secondsLeft() <= 0) {
          // Could not reach the server before expiry: try again soon, the server decides.
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.refresh(), 10000);
        } else {
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.refresh(), Math.min(30000, Math.max(2000, this.secondsLeft() * 500)));
        }
        return 'failed';
      } finally {
        this.pending = null;
      }
    })();
    return this.pending;
  }

  expire() {
    clearTimeout(this.timer);
    this.session = null;
    try {
      sessionStorage.removeItem(SESSION_KEY);
    } catch {
      /* ignore */
    }
    for (const fn of this.expiredListeners) fn();
  }
}

/** The ticket from `#login=<ticket>`, removed from the URL at once; null when absent. */
function takeLoginTicket() {
  const hash = window.location.hash || '';
  const m = /^#login=(.*)$/.exec(hash);
  if (!m) return null;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return decodeURIComponent(m[1]);
}

function readStored() {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw);
    if (!s || !s.accessToken || !(s.expiresAt > Date.now() / 1000 + 5)) return null;
    return s;
  } catch {
    return null;
  }
}

/** Asks the GHL parent frame for its encrypted user context. */
function requestGhlUserData() {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(new ApiError(0, 'sso_timeout', MESSAGES.sso_timeout));
    }, SSO_TIMEOUT_MS);
    function onMessage(ev) {
      // Only GHL's own window, the one framing this page, answers: not a sibling frame.
      if (ev.source !== window.parent) return;
      const data = ev.data;
      if (!data || typeof data !== 'object' || data.message !== 'REQUEST_USER_DATA_RESPONSE') return;
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(data.payload);
    }
    window.addEventListener('message', onMessage);
    window.parent.postMessage({ message: 'REQUEST_USER_DATA' }, '*');
  });
}
