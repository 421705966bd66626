/**
 * format.js — small shared helpers: building DOM safely (createElement + textContent only,
 * never innerHTML: every lead-supplied string is hostile), time and money formatting, and
 * highlighting evidence words with <mark> without ever parsing text as HTML.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an element. props: {testid, cls, text, attrs, on: {event: fn}, hidden}.
 * Children may be nodes, strings (become text nodes) or null (skipped).
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  applyProps(node, props);
  for (const child of children) append(node, child);
  return node;
}

/** Creates an SVG element with geometry attributes (allowed under the CSP). */
export function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function applyProps(node, props) {
  if (props.testid) node.dataset.testid = props.testid;
  if (props.cls) node.className = props.cls;
  if (props.text != null) node.textContent = String(props.text);
  if (props.hidden) node.hidden = true;
  for (const [k, v] of Object.entries(props.attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'style' || k.startsWith('on')) throw new Error('refused attribute ' + k); // CSP
    node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const [ev, fn] of Object.entries(props.on || {})) node.addEventListener(ev, fn);
}

function append(node, child) {
  if (child == null || child === false) return;
  node.append(typeof child === 'string' ? document.createTextNode(child) : child);
}

/** Removes every child of a node. */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** Sets textContent only when it changed (cheap for per-second ticking). */
export function setText(node, text) {
  const s = text == null ? '' : String(text);
  if (node.textContent !== s) node.textContent = s;
}

/** Sets or removes a data-* attribute only when it changed. */
export function setData(node, key, value) {
  const s = value == null ? '' : String(value);
  if (node.dataset[key] !== s) node.dataset[key] = s;
}

/** Now, in epoch seconds. */
export function nowSec() {
  return Date.now() / 1000;
}

/** Epoch seconds from a number (seconds) or an ISO date string; null when unknown. */
export function toSeconds(at) {
  if (at == null || at === '') return null;
  if (typeof at === 'number') return at > 1e12 ? at / 1000 : at;
  const n = Number(at);
  if (Number.isFinite(n)) return toSeconds(n);
  const ms = Date.parse(at);
  return Number.isFinite(ms) ? ms / 1000 : null;
}

const pad = (n) => String(n).padStart(2, '0');

/** "HH:MM" in local time. */
export function clock(at) {
  const s = toSeconds(at);
  if (s == null) return '';
  const d = new Date(s * 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "HH:MM:SS" in local time. */
export function clockSeconds(at) {
  const s = toSeconds(at);
  if (s == null) return '';
  const d = new Date(s * 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A date and time for appointments: "Sat 21 Nov, 14:00". */
export function dateTime(at) {
  const s = toSeconds(at);
  if (s == null) return at == null ? '' : String(at);
  const d = new Date(s * 1000);
  const day = d.toLocaleDateString('en-US', { weekday: 'short', day: 'numeric', month: 'short' });
  return `${day}, ${clock(s)}`;
}

/** A duration: "0:42", "12:05", "1:02:03". Negative values are shown as their magnitude. */
export function duration(seconds) {
  let s = Math.max(0, Math.floor(Math.abs(seconds || 0)));
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const m = Math.floor(s / 60);
  const sec = s - m * 60;
  return hours > 0 ? `${hours}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** "$421,000"; empty for unknown amounts. */
export function money(n) {
  const v = Number(n);
  return n == null || !Number.isFinite(v) ? '' : usd.format(v);
}

/**
 * A fragment holding `text` with every case-insensitive occurrence of the evidence words
 * wrapped in <mark>. Built from text nodes only, so nothing in `text` is ever parsed.
 */
export function highlight(text, words) {
  const frag = document.createDocumentFragment();
  const s = text == null ? '' : String(text);
  const ranges = findRanges(s, words || []);
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) frag.append(document.createTextNode(s.slice(at, start)));
    const mark = document.createElement('mark');
    mark.textContent = s.slice(start, end);
    frag.append(mark);
    at = end;
  }
  if (at < s.length) frag.append(document.createTextNode(s.slice(at)));
  return frag;
}

/** Sorted, merged [start, end) ranges where any of the words occur in s. */
function findRanges(s, words) {
  const lower = s.toLowerCase();
  const found = [];
  for (const w of words) {
    const needle = String(w || '').trim().toLowerCase();
    if (needle.length < 2) continue;
    let i = lower.indexOf(needle);
    while (i !== -1) {
      found.push([i, i + needle.length]);
      i = lower.indexOf(needle, i + needle.length);
    }
  }
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const r of found) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Title-cases a snake/dot code for display: "human_requested" → "Human requested". */
export function label(code) {
  const s = String(code || '').replace(/[._]/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
