// User decisions as hard constraints: must-link groups, cannot-link checks, and the post-pass that
// splits a cluster holding a cannot-link pair.
import { DisjointSet } from './disjoint-set.ts';
import type { FaceGraph } from './graph.ts';
import { ConstraintConflictError, type ClusterInput } from './types.ts';

export interface PreparedConstraints {
  /** Must-link group of each face, named by its smallest row. */
  group: Int32Array;
  hasMustLink: boolean;
  /** Validated cannot-link pairs. */
  cannotLink: Array<[number, number]>;
}

/** Validates the pairs, groups must-links transitively, and throws ConstraintConflictError on a contradiction. */
export function prepareConstraints(input: ClusterInput): PreparedConstraints {
  const { n } = input;
  const check = (kind: string, [a, b]: [number, number]): void => {
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= n || b >= n) {
      throw new RangeError(`${kind} pair (${a}, ${b}) is outside rows 0..${n - 1}`);
    }
  };
  const groups = new DisjointSet(n);
  const mustLink = input.mustLink ?? [];
  for (const pair of mustLink) {
    check('must-link', pair);
    groups.union(pair[0], pair[1]);
  }
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) group[i] = groups.find(i);
  const cannotLink = input.cannotLink ?? [];
  for (const pair of cannotLink) {
    check('cannot-link', pair);
    if (group[pair[0]] === group[pair[1]]) throw new ConstraintConflictError(pair);
  }
  return { group, hasMustLink: mustLink.length > 0, cannotLink };
}

/**
 * Cannot-link partners per cluster root, merged small-to-large, for clusterings that grow clusters by
 * union: blocked(a, b) says whether clusters a and b hold a cannot-link pair.
 */
export class CannotLinkSets {
  private readonly partners: Array<number[] | undefined>;

  constructor(n: number, pairs: Array<[number, number]>, rootOf: (row: number) => number) {
    this.partners = new Array(n);
    for (const [a, b] of pairs) {
      const ra = rootOf(a);
      const rb = rootOf(b);
      (this.partners[ra] ??= []).push(b);
      (this.partners[rb] ??= []).push(a);
    }
  }

  blocked(rootA: number, rootB: number, rootOf: (row: number) => number): boolean {
    const pa = this.partners[rootA];
    const pb = this.partners[rootB];
    if (!pa || !pb) return false;
    const [list, other] = pa.length <= pb.length ? [pa, rootB] : [pb, rootA];
    for (const p of list) if (rootOf(p) === other) return true;
    return false;
  }

  /** Call after cluster `from` joined cluster `into`. */
  merge(into: number, from: number): void {
    const pf = this.partners[from];
    if (!pf) return;
    const pi = this.partners[into];
    if (!pi) this.partners[into] = pf;
    else if (pi.length >= pf.length) for (const p of pf) pi.push(p);
    else {
      for (const p of pi) pf.push(p);
      this.partners[into] = pf;
    }
    this.partners[from] = undefined;
  }
}

/**
 * Puts must-linked faces in one cluster after a clustering that ignored them: the clusters of a group's
 * faces are joined (noise faces of the group join too; a group of only noise becomes a cluster).
 * `key` is updated in place; -1 is noise.
 */
export function joinMustLinks(key: Int32Array, constraints: PreparedConstraints): void {
  if (!constraints.hasMustLink) return;
  const n = key.length;
  const { group } = constraints;
  let fresh = 0;
  for (let i = 0; i < n; i++) fresh = Math.max(fresh, key[i] + 1);
  // Union clusters (offset by n so noise faces stand for themselves).
  const sets = new DisjointSet(fresh + n);
  const node = (i: number): number => (key[i] >= 0 ? key[i] : fresh + i);
  const groupSize = new Int32Array(n);
  for (let i = 0; i < n; i++) groupSize[group[i]]++;
  for (let i = 0; i < n; i++) if (group[i] !== i) sets.union(node(i), node(group[i]));
  for (let i = 0; i < n; i++) if (key[i] >= 0 || groupSize[group[i]] > 1) key[i] = sets.find(node(i));
}

/**
 * Splits every cluster that holds a cannot-link pair: inside it, must-link groups are joined along the
 * graph's edges, shortest first (Kruskal), skipping any join that would put a cannot-link pair together.
 * Returns new keys (clusters without violations keep theirs).
 */
export function splitCannotLinkViolations(key: Int32Array, graph: FaceGraph, constraints: PreparedConstraints): Int32Array {
  const n = key.length;
  const violating = new Set<number>();
  for (const [a, b] of constraints.cannotLink) if (key[a] >= 0 && key[a] === key[b]) violating.add(key[a]);
  if (violating.size === 0) return key;

  const out = key.slice();
  let fresh = 0;
  for (let i = 0; i < n; i++) fresh = Math.max(fresh, key[i] + 1);
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) if (violating.has(key[i])) (members.get(key[i]) ?? members.set(key[i], []).get(key[i])!).push(i);

  const sets = new DisjointSet(n);
  const { group } = constraints;
  for (const rows of members.values()) for (const i of rows) if (group[i] !== i) sets.union(i, group[i]);
  const rootOf = (r: number): number => sets.find(r);
  const inViolating = (r: number): boolean => violating.has(key[r]);
  const pairs = constraints.cannotLink.filter(([a, b]) => inViolating(a) && inViolating(b));
  const cannot = new CannotLinkSets(n, pairs, rootOf);

  for (const [c, rows] of [...members.entries()].sort((x, y) => x[1][0] - y[1][0])) {
    const edges: Array<[number, number, number]> = [];
    for (const i of rows) {
      for (let e = graph.offsets[i]; e < graph.offsets[i + 1]; e++) {
        const j = graph.targets[e];
        if (j > i && key[j] === c) edges.push([graph.distances[e], i, j]);
      }
    }
    edges.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
    for (const [, i, j] of edges) {
      const ri = rootOf(i);
      const rj = rootOf(j);
      if (ri === rj || cannot.blocked(ri, rj, rootOf)) continue;
      const root = sets.union(ri, rj);
      cannot.merge(root, root === ri ? rj : ri);
    }
    for (const i of rows) out[i] = fresh + rootOf(i);
  }
  return out;
}
