/**
 * api.js — HTTP calls to the LiveHub server with the session's bearer token.
 * JSON error bodies `{"error": code, "message": text}` become thrown ApiError{status, code, message};
 * a network failure is ApiError with status 0 and code "network".
 */

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export class Api {
  /** getToken: () => string|null, the current access token. */
  constructor(getToken = () => null) {
    this.getToken = getToken;
    /** Called on a 401 to an authenticated call; resolving 'ok' retries the call once. */
    this.onUnauthorized = null;
  }

  get(path) {
    return this.request('GET', path);
  }

  post(path, body, { auth = true } = {}) {
    return this.request('POST', path, body, auth);
  }

  async request(method, path, body, auth = true, retried = false) {
    const headers = { Accept: 'application/json' };
    const token = auth ? this.getToken() : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'same-origin',
      });
    } catch (err) {
      throw new ApiError(0, 'network', 'The server could not be reached');
    }
    const text = await res.text();
    let json = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    if (res.status === 401 && auth && !retried && this.onUnauthorized && path !== '/v1/token/refresh') {
      if ((await this.onUnauthorized()) === 'ok') return this.request(method, path, body, auth, true);
    }
    if (!res.ok) {
      const code = (json && json.error) || `http_${res.status}`;
      const message = (json && json.message) || res.statusText || code;
      throw new ApiError(res.status, code, message);
    }
    return json;
  }

  /** Every page of a conversation's events after `after`; calls onPage(events) per page. */
  async eventsAfter(conversationId, after, onPage) {
    let cursor = after;
    for (let guard = 0; guard < 10000; guard++) {
      const id = encodeURIComponent(conversationId);
      const page = await this.get(`/v1/conversations/${id}/events?after=${cursor}&limit=1000`);
      const events = (page && page.events) || [];
      onPage(events, page);
      // The last seq received is the cursor; `next` only says whether more pages exist.
      const last = events.length ? Number(events[events.length - 1].seq) : cursor;
      if (page.next == null) return last;
      const next = events.length ? last : Number(page.next);
      if (!(next > cursor)) return last;
      cursor = next;
    }
    return cursor;
  }
}
