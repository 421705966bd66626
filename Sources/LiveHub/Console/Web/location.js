/**
 * location.js — what `location:{id}` tells the store: conversation summaries (a
 * (re)subscription's replay, then one per change), removals, agent presence, alerts with their
 * acknowledgements, and the auto-responder's decisions. Functions of the store, which holds the
 * maps; each change is announced with `store.emit`.
 */

/**
 * A (re)subscription: its `replayed` summaries follow at once, and whatever is not among them
 * left while we were away (reassigned, or gone): it is pruned once they are in. The presence and
 * viewers snapshot that follows says who is online and watching now: what we knew from before
 * (a reconnect, perhaps to another server) is dropped, not merged.
 */
export function startLocationReplay(store, f) {
  const watched = [...store.viewers.keys()];
  store.presence.clear();
  store.viewers.clear();
  store.viewerVersions.clear();
  store.emit('presence', null);
  for (const id of watched) store.emit('viewers', id);
  store.locationReplay = { left: f.replayed || 0, seen: new Set() };
  if (store.locationReplay.left === 0) pruneLocation(store);
}

export function applyLocation(store, f, kind, data) {
  if (kind === 'conversation.summary') {
    const prev = store.summaries.get(data.conversationId);
    store.summaries.set(data.conversationId, data);
    const replay = store.locationReplay;
    openAlertsOf(store, data);
    if (replay) {
      replay.seen.add(data.conversationId);
      replay.left -= 1;
    }
    store.emit('summary', data, prev);
    if (replay && replay.left <= 0) pruneLocation(store);
    return undefined;
  }
  if (kind === 'conversation.removed') {
    store.summaries.delete(data.conversationId);
    return store.emit('removed', data.conversationId);
  }
  if (kind === 'agent.presence') {
    const user = f.user || data.user;
    if (!user) return undefined;
    store.presence.set(user, !!(f.online ?? data.online));
    return store.emit('presence', user);
  }
  const cid = f.conversationId || data.conversationId;
  if (kind === 'alert') {
    const key = `${cid}:${f.seq}`;
    if (store.alerts.has(key)) return undefined;
    const alert = { key, conversationId: cid, seq: f.seq, at: f.at, ...data, acked: store.ackedAlerts.has(key) };
    store.alerts.set(key, alert);
    return store.emit('alert', alert);
  }
  if (kind === 'alert.acknowledged') {
    const key = `${cid}:${data.alertSeq}`;
    store.ackedAlerts.add(key);
    const alert = store.alerts.get(key);
    if (alert && !alert.acked) {
      alert.acked = true;
      alert.ackedBy = data.by;
      store.emit('alert-acked', alert);
    }
    return undefined;
  }
  if (kind === 'autoresponder.decision') {
    const key = `${cid}:${f.seq}`;
    if (store.decisions.has(key)) return undefined;
    const decision = { key, conversationId: cid, seq: f.seq, at: f.at, ...data };
    store.decisions.set(key, decision);
    return store.emit('decision', decision);
  }
  return undefined;
}

/** Ends a location replay: drops the conversations it did not list. */
function pruneLocation(store) {
  const seen = store.locationReplay ? store.locationReplay.seen : new Set();
  store.locationReplay = null;
  for (const id of [...store.summaries.keys()]) {
    if (seen.has(id)) continue;
    store.summaries.delete(id);
    store.emit('removed', id);
  }
}

/**
 * The alerts a summary says are still open (`openAlerts`): those raised before this page
 * subscribed join the feed; one the feed holds as open but the summary no longer lists was
 * acknowledged elsewhere (perhaps while the socket was down).
 */
function openAlertsOf(store, s) {
  const open = Array.isArray(s.openAlerts) ? s.openAlerts : [];
  const openKeys = new Set(open.map((a) => `${s.conversationId}:${a.seq}`));
  // Live alerts arrive as `alert` events right after their summary; only a (re)subscription's
  // replay adds the older ones from here.
  for (const a of store.locationReplay ? open : []) {
    const key = `${s.conversationId}:${a.seq}`;
    if (store.alerts.has(key) || store.ackedAlerts.has(key)) continue;
    const alert = { key, conversationId: s.conversationId, seq: a.seq, reason: a.reason, at: s.lastMessageAt, message: '', acked: false };
    store.alerts.set(key, alert);
    store.emit('alert', alert);
  }
  for (const alert of store.alerts.values()) {
    if (alert.conversationId !== s.conversationId || alert.acked || openKeys.has(alert.key)) continue;
    // Raised after this summary was made? Only an alert older than the summary's head is settled.
    if (typeof s.head === 'number' && alert.seq > s.head) continue;
    alert.acked = true;
    store.ackedAlerts.add(alert.key);
    store.emit('alert-acked', alert);
  }
}
