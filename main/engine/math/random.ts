// Seeded pseudo-random numbers for everything that must repeat for a seed: pair sampling, splits,
// batches, weight initialisation, map layouts.

export type Random = () => number;

/** mulberry32 from a raw 32-bit state: uniform in [0, 1), small, fast, good enough for sampling. */
export function mulberry32(state: number): Random {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** mulberry32 seeded through a golden-ratio mix, so small seeds (0, 1, 2...) start far apart. */
export function seededRandom(seed: number): Random {
  return mulberry32((Math.floor(seed) ^ 0x9e3779b9) >>> 0);
}

export function randomInt(random: Random, below: number): number {
  return Math.floor(random() * below);
}

/** Fisher-Yates, in place (arrays and typed arrays). */
export function shuffleInPlace<A extends { length: number; [i: number]: any }>(items: A, random: Random): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/** `count` distinct items (all of them when count >= length), in random order. */
export function sampleWithoutReplacement<T>(items: readonly T[], count: number, random: Random): T[] {
  return shuffleInPlace(items.slice(), random).slice(0, Math.min(count, items.length));
}

/** Standard normal deviates by Box-Muller. */
export function normalDeviates(count: number, random: Random, std = 1): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = Math.max(random(), 1e-12);
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** A stream of standard normal draws by Box-Muller, using both values of each pair. */
export function gaussianRandom(random: Random): Random {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    let u = 0;
    while (u === 0) u = random();
    const v = random();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
}

/** One seeded stream drawing several kinds of numbers (uniform, integers, normals), for clustering and tests. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, bound). */
  int(bound: number): number;
  /** Standard normal. */
  gaussian(): number;
}

/** An Rng over mulberry32 from the raw seed (no mixing: clustering's seeds are chosen by hand). */
export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  return { next, int: (bound) => randomInt(next, bound), gaussian: gaussianRandom(next) };
}
