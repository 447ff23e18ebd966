// Which faces a sampled map fit uses: a seeded sample, stratified by group (e.g. person) when groups are given.
import { seededRandom, shuffleInPlace } from './random.ts';

export interface FitSample {
  /** Row indices fitted, ascending. */
  fitted: Int32Array;
  /** The other rows, ascending; they are placed against the fit. */
  rest: Int32Array;
}

/**
 * Picks `size` of n rows. With `groups`, each group gets a share proportional to its size (largest
 * remainder), every group at least one row while `size` allows, so small identities still anchor the
 * map; without, a uniform random sample. Seeded: the same inputs give the same sample.
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
    const ratio = size / n;
    const quota = keys.map((key) => Math.floor(members.get(key)!.length * ratio));
    let left = size - quota.reduce((sum, q) => sum + q, 0);
    // Remaining places: empty groups first, then by largest fractional share; ties by group order.
    const byNeed = keys.map((_, g) => g);
    byNeed.sort((a, b) => {
      const emptyA = quota[a] === 0 ? 1 : 0;
      const emptyB = quota[b] === 0 ? 1 : 0;
      if (emptyA !== emptyB) return emptyB - emptyA;
      const fractionA = members.get(keys[a])!.length * ratio - quota[a];
      const fractionB = members.get(keys[b])!.length * ratio - quota[b];
      return fractionB - fractionA || a - b;
    });
    for (let t = 0; left > 0 && t < byNeed.length; t++, left--) quota[byNeed[t]]++;
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
