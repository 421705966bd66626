/**
 * app.js — boot: signs in (auth.js), then builds the top bar (who am I, the connection badge,
 * the reconnect and session-expired banners), opens the one WebSocket and mounts the agent or
 * supervisor view by role. Routes `#/c/<conversationId>` to the view.
 */

import { Api } from './api.js';
import { Auth } from './auth.js';
import { Connection } from './connection.js';
import { Store } from './store.js';
import { h, clear, clockSeconds, setText } from './views/format.js';
import { mountAgent } from './views/agent.js';
import { mountSupervisor } from './views/supervisor.js';

const root = document.getElementById('app') || document.body;

async function boot() {
  let auth = null;
  const api = new Api(() => (auth ? auth.token() : null));
  auth = new Auth(api);
  const result = await auth.signIn();
  if (!result.session) return showSignIn(result.error);
  return start(auth.session, api, auth);
}

function showSignIn(error) {
  clear(root);
  const err = h('p', { testid: 'signin-error', cls: 'signin-error', hidden: !error, attrs: { role: 'alert' } });
  if (error) err.textContent = error;
  root.append(h('main', { testid: 'signin', cls: 'signin' },
    h('div', { cls: 'signin-card' },
      h('h1', { text: 'LiveHub' }),
      h('p', { text: 'Sign in from GoHighLevel, or open a login link:' }),
      h('pre', { cls: 'cmd', text: 'livehub login-link --role agent --user U --location L' }),
      err)));
}

function start(session, api, auth) {
  const store = new Store(api);
  const badge = h('span', { testid: 'conn-badge', cls: 'conn-badge', text: 'connecting', attrs: { role: 'status', 'data-state': 'reconnecting', 'aria-live': 'polite' } });
  const who = h('span', { testid: 'whoami', cls: 'whoami', text: `${session.userName && session.userName !== session.user ? `${session.userName} (${session.user})` : session.user} · ${session.role}` });
  const loc = h('span', { cls: 'muted small', text: session.locationId || '' });
  const connBanner = h('div', { testid: 'conn-banner', cls: 'banner warn', hidden: true, attrs: { role: 'alert' } });
  const expired = h('div', { testid: 'session-expired', cls: 'banner error', hidden: true, attrs: { role: 'alert' }, text: 'Your session expired — open LiveHub again' });
  const bar = h('header', { cls: 'topbar' }, h('strong', { cls: 'brand', text: 'LiveHub' }), loc, h('span', { cls: 'grow' }), who, badge);
  const viewRoot = h('div', { cls: 'view-root' });
  clear(root);
  root.append(bar, connBanner, expired, viewRoot);

  let connState = { state: 'reconnecting', failures: 0, lastEventAt: null };
  const renderBadge = () => {
    const { state, failures, lastEventAt } = connState;
    const last = lastEventAt ? clockSeconds(lastEventAt / 1000) : null;
    const word = state === 'live' ? 'live' : state === 'offline' ? 'offline' : 'reconnecting';
    setText(badge, last ? `${word} · ${last}` : word);
    badge.dataset.state = word;
    badge.title = last ? `Last event at ${last}` : 'No event yet';
    connBanner.hidden = !(state !== 'live' && failures >= 5);
    if (!connBanner.hidden) setText(connBanner, `Cannot reach LiveHub — still trying (${failures} attempts failed)`);
  };

  const conn = new Connection({
    token: () => auth.token(),
    secondsLeft: () => auth.secondsLeft(),
    refresh: () => auth.refresh(),
    sinceFor: (topic) => store.sinceFor(topic),
    onFrame: (f) => store.applyFrame(f),
    onState: (s) => {
      connState = s;
      store.schedule('conn-badge', renderBadge);
    },
  });
  store.conn = conn;
  api.onUnauthorized = () => auth.refresh();
  auth.onExpired(() => {
    conn.stop();
    expired.hidden = false;
    connBanner.hidden = true;
  });

  const ctx = { store, conn, api, session };
  const view = session.role === 'agent' ? mountAgent(viewRoot, ctx) : mountSupervisor(viewRoot, ctx);
  const route = () => view.route(conversationFromHash());
  window.addEventListener('hashchange', route);
  conn.start();
  route();
}

function conversationFromHash() {
  const m = /^#\/c\/(.+)$/.exec(window.location.hash || '');
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

boot().catch((err) => {
  console.error(err);
  showSignIn(`LiveHub could not start: ${err.message}`);
});
