// Which faces a sampled map fit uses: a seeded sample, stratified by group (e.g. person) when groups are given.
import { seededRandom, shuffleInPlace } from '../math/random.ts';

export interface FitSample {
  /** Row indices fitted, ascending. */
  fitted: Int32Array;
  /** The other rows, ascending; they are placed against the fit. */
  rest: Int32Array;
}

/**
 * Picks `size` of n rows. With `groups`, every group first gets one row while `size` allows (so small
 * identities still anchor the map), then the remaining places go in proportion to each group's
 * remaining rows (largest-remainder rounding); without groups, a uniform random sample. Seeded.
 */
export function fitSample(n: number, size: number, seed: number, groups?: ArrayLike<number>): FitSample {
  const random = seededRandom(seed ^ 0x5a17);
  const chosen = new Uint8Array(n);
  if (size >= n) {
    chosen.fill(1);
  } else if (!groups) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    shuffleInPlace(order, random);
    for (let t = 0; t < size; t++) chosen[order[t]] = 1;
  } else {
    if (groups.length !== n) throw new Error(`expected ${n} group labels, got ${groups.length}`);
    const members = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const list = members.get(groups[i]);
      if (list) list.push(i);
      else members.set(groups[i], [i]);
    }
    const keys = [...members.keys()].sort((a, b) => a - b);
    const sizes = keys.map((key) => members.get(key)!.length);
    // One face per group first while the sample has room; the rest in proportion to what is left of each.
    const base = keys.length <= size ? 1 : 0;
    const extra = size - base * keys.length;
    const pool = n - base * keys.length;
    const shares = sizes.map((groupSize) => ((groupSize - base) * extra) / pool);
    const quota = shares.map((share) => base + Math.floor(share));
    let left = size - quota.reduce((sum, q) => sum + q, 0);
    // Largest-remainder rounding; ties go to the earlier group.
    const byRemainder = keys.map((_, g) => g);
    byRemainder.sort((a, b) => shares[b] - Math.floor(shares[b]) - (shares[a] - Math.floor(shares[a])) || a - b);
    for (let t = 0; left > 0 && t < byRemainder.length; t++, left--) quota[byRemainder[t]]++;
    keys.forEach((key, g) => {
      const list = Int32Array.from(members.get(key)!);
      shuffleInPlace(list, random);
      for (let t = 0; t < quota[g]; t++) chosen[list[t]] = 1;
    });
  }
  let fittedCount = 0;
  for (let i = 0; i < n; i++) fittedCount += chosen[i];
  const fitted = new Int32Array(fittedCount);
  const rest = new Int32Array(n - fittedCount);
  for (let i = 0, f = 0, r = 0; i < n; i++) {
    if (chosen[i]) fitted[f++] = i;
    else rest[r++] = i;
  }
  return { fitted, rest };
}
