/**
 * summary.js — facts derived from a conversation summary, shared by the agent list and the
 * supervisor board: the SLA countdown and its level, the AI state line, the viewers line, the
 * attention rank used to sort the board, and the display name.
 */

import { clock, duration, toSeconds } from './format.js';

/** Attention reasons in board order; `hot` is a sort rank only, never an attention reason. */
const RANKED = ['sla_breach', 'human_requested', 'legal_threat', 'negative_sentiment', 'hot', 'negotiation', 'opt_out'];

const REASON_LABELS = {
  sla_breach: 'SLA breach', human_requested: 'Wants a human', legal_threat: 'Legal threat',
  negative_sentiment: 'Negative mood', opt_out: 'Opted out', negotiation: 'Negotiation',
};

/** A short label for an attention / alert reason code. */
export function reasonLabel(code) {
  return REASON_LABELS[code] || String(code || '').replace(/[._]/g, ' ');
}

export function displayName(s) {
  return (s && (s.contactName || s.contactId || s.conversationId)) || 'Unknown lead';
}

/** Seconds the lead has been waiting, or null when not waiting. */
export function waitingFor(s, now) {
  if (!s || s.state !== 'waiting' || typeof s.waitingSince !== 'number') return null;
  return Math.max(0, now - s.waitingSince);
}

/**
 * The SLA countdown: level ok (< 50% of the SLA used) → warn (≥ 50%) → breach (past the SLA);
 * text like "1:23 left" / "0:45 over"; empty when the lead is not waiting.
 */
export function slaState(s, slaSeconds, now) {
  const waited = waitingFor(s, now);
  if (waited == null) return { level: 'ok', text: '', waited: null };
  const sla = slaSeconds > 0 ? slaSeconds : 120;
  const level = slaLevel(waited, sla);
  return { level, text: level === 'breach' ? `${duration(waited - sla)} over` : `${duration(sla - waited)} left`, waited };
}

/** ok (< 50% of the SLA used), warn (≥ 50%) or breach (past it) for a wait of `waited` s. */
export function slaLevel(waited, slaSeconds) {
  const sla = slaSeconds > 0 ? slaSeconds : 120;
  if (waited == null) return 'ok';
  return waited > sla ? 'breach' : waited >= sla / 2 ? 'warn' : 'ok';
}

/** "sup-1 has the floor", "paused until 14:05", or the mode ("suggest", "auto", "off"). */
export function aiState(s, me, now) {
  if (!s) return '';
  if (s.takenOverBy) return s.takenOverBy === me ? 'you have the floor' : `${s.takenOverBy} has the floor`;
  if (typeof s.aiPausedUntil === 'number' && s.aiPausedUntil > now) return `paused until ${clock(s.aiPausedUntil)}`;
  return s.mode || 'off';
}

/** "sup-1, agent-2 viewing" for every viewer other than me; empty when none. */
export function viewersText(viewers, me) {
  const others = (viewers || []).map((v) => v && v.user).filter((u) => u && u !== me);
  return others.length ? `${[...new Set(others)].join(', ')} viewing` : '';
}

/**
 * The board's attention: {rank, reason} where rank orders the board (0 = most urgent) and
 * reason is the top open reason for `data-attention` ("none" when there is none).
 */
export function attentionOf(s, slaSeconds, now) {
  const open = new Set(Array.isArray(s.attention) ? s.attention : []);
  const waited = waitingFor(s, now);
  if (waited != null && waited > (slaSeconds > 0 ? slaSeconds : 120)) open.add('sla_breach');
  if (typeof s.sentiment === 'number' && s.sentiment < -0.3) open.add('negative_sentiment');
  if (s.tier === 'hot') open.add('hot');
  if (s.negotiationId) open.add('negotiation');
  let rank = RANKED.length;
  for (let i = 0; i < RANKED.length; i++) {
    if (open.has(RANKED[i])) {
      rank = i;
      break;
    }
  }
  const reason = RANKED.find((r) => r !== 'hot' && open.has(r)) || 'none';
  return { rank, reason };
}

/** Board order: attention rank, then longest waiting, then newest message, then id. */
export function compareAttention(a, b) {
  if (a.rank !== b.rank) return a.rank - b.rank;
  const wa = a.s.state === 'waiting' && typeof a.s.waitingSince === 'number' ? a.s.waitingSince : Infinity;
  const wb = b.s.state === 'waiting' && typeof b.s.waitingSince === 'number' ? b.s.waitingSince : Infinity;
  if (wa !== wb) return wa - wb;
  const la = toSeconds(a.s.lastMessageAt) || 0;
  const lb = toSeconds(b.s.lastMessageAt) || 0;
  if (la !== lb) return lb - la;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
