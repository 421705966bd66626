/**
 * reorder.js — puts a container's children in a wanted order with as few DOM moves as
 * possible: the rows that already stand in a longest increasing run of their old positions
 * stay put, only the others are moved (one row that changes rank is one move).
 */

/**
 * Makes `container`'s children exactly `els`, in that order. Children not in `els` are
 * removed; elements not yet in the container are inserted. Returns the number of moves.
 */
export function reorder(container, els) {
  const current = Array.from(container.children);
  const wanted = new Set(els);
  const pos = new Map();
  let i = 0;
  for (const child of current) {
    if (wanted.has(child)) pos.set(child, i++);
    else child.remove();
  }
  const seq = els.map((e) => (pos.has(e) ? pos.get(e) : -1));
  const keep = longestIncreasing(seq);
  let moves = 0;
  let next = null;
  for (let k = els.length - 1; k >= 0; k--) {
    const e = els[k];
    if (!keep.has(k)) {
      container.insertBefore(e, next);
      moves += 1;
    }
    next = e;
  }
  return moves;
}

/** Indices of a longest strictly increasing subsequence of seq, ignoring negative entries. */
function longestIncreasing(seq) {
  const tails = [];
  const tailIdx = [];
  const prev = new Array(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    const v = seq[i];
    if (v < 0) continue;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = v;
    tailIdx[lo] = i;
    prev[i] = lo > 0 ? tailIdx[lo - 1] : -1;
  }
  const keep = new Set();
  let k = tails.length ? tailIdx[tails.length - 1] : -1;
  while (k >= 0) {
    keep.add(k);
    k = prev[k];
  }
  return keep;
}
