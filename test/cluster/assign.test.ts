import { describe, expect, it } from 'vitest';
import { PersonIndex, personCentroids } from '../../main/engine/cluster/assign.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

const threshold = 1.0;
// 40 identities x 8 faces: the first 6 of each known person form the library, the last 2 are new faces.
const faces = syntheticFaces({ n: 320, sizes: 8, seed: 8 });
const { dim } = faces;
const libraryRows: number[] = [];
const queryRows: number[] = [];
const seen = new Map<number, number>();
faces.identity.forEach((id, i) => {
  const count = seen.get(id) ?? 0;
  seen.set(id, count + 1);
  // Identities 30..39 stay out of the library: their faces are strangers.
  if (id >= 30) queryRows.push(i);
  else (count < 6 ? libraryRows : queryRows).push(i);
});
const rowsOf = (rows: number[]): Float32Array => {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, t) => out.set(faces.vectors.subarray(r * dim, (r + 1) * dim), t * dim));
  return out;
};
const library = rowsOf(libraryRows);
const libraryPeople = libraryRows.map((r) => 1000 + faces.identity[r]);
const queries = rowsOf(queryRows);

function bruteForcePeople(query: Float32Array): Array<{ personId: number; distance: number }> {
  const best = new Map<number, number>();
  libraryRows.forEach((_, t) => {
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += (query[d] - library[t * dim + d]) ** 2;
    best.set(libraryPeople[t], Math.min(best.get(libraryPeople[t]) ?? Infinity, Math.sqrt(sq)));
  });
  return [...best.entries()].map(([personId, distance]) => ({ personId, distance })).sort((a, b) => a.distance - b.distance);
}

describe.each(['exact', 'hnsw'] as const)('PersonIndex (%s)', (method) => {
  const people = PersonIndex.build(library, libraryPeople, dim, { method, seed: 2 });
  const assignments = people.assign(queries, queryRows.length, { threshold });

  it("assigns a known person's new face to that person, within the threshold", () => {
    queryRows.forEach((r, q) => {
      if (faces.identity[r] >= 30) return;
      expect(assignments[q].personId).toBe(1000 + faces.identity[r]);
      expect(assignments[q].withinThreshold).toBe(true);
    });
  });

  it("leaves a stranger's face outside the threshold", () => {
    queryRows.forEach((r, q) => {
      if (faces.identity[r] < 30) return;
      expect(assignments[q].withinThreshold).toBe(false);
      expect(assignments[q].distance).toBeGreaterThan(threshold);
    });
  });

  it('suggests the three nearest distinct people with their nearest-exemplar distances', () => {
    queryRows.forEach((_, q) => {
      const want = bruteForcePeople(queries.subarray(q * dim, (q + 1) * dim)).slice(0, 3);
      const got = assignments[q].suggestions;
      expect(got.map((s) => s.personId)).toEqual(want.map((s) => s.personId));
      got.forEach((s, t) => expect(s.distance).toBeCloseTo(want[t].distance, 4));
      expect(got[0].personId).toBe(assignments[q].personId);
    });
  });

  it('forgets removed rows and learns added ones', () => {
    const index = PersonIndex.build(library, libraryPeople, dim, { method, seed: 2 });
    const target = queryRows.findIndex((r) => faces.identity[r] === 0);
    const before = index.assign(queries.subarray(target * dim), 1, { threshold })[0];
    expect(before.personId).toBe(1000);
    libraryPeople.forEach((p, row) => p === 1000 && index.remove(row));
    const after = index.assign(queries.subarray(target * dim), 1, { threshold })[0];
    expect(after.personId).not.toBe(1000);
    expect(after.suggestions.map((s) => s.personId)).not.toContain(1000);
    // A stranger's first face, added as person 7, now claims the stranger's second face.
    const strangers = queryRows.map((r, q) => [r, q]).filter(([r]) => faces.identity[r] === 35);
    index.add(queries.subarray(strangers[0][1] * dim, (strangers[0][1] + 1) * dim), [7]);
    const second = index.assign(queries.subarray(strangers[1][1] * dim), 1, { threshold })[0];
    expect(second.personId).toBe(7);
    expect(second.withinThreshold).toBe(true);
  });

  it('answers from its bytes as it did, removals included, and keeps learning after', () => {
    const index = PersonIndex.build(library, libraryPeople, dim, { method, seed: 2 });
    libraryPeople.forEach((p, row) => p === 1003 && index.remove(row));
    const copy = PersonIndex.fromBytes(index.toBytes());
    expect(copy.method).toBe(method);
    expect(copy.size).toBe(index.size);
    expect(copy.rowCount).toBe(index.rowCount);
    const want = index.assign(queries, queryRows.length, { threshold, suggestions: 5 });
    const got = copy.assign(queries, queryRows.length, { threshold, suggestions: 5 });
    expect(got).toEqual(want);
    expect(got.flatMap((a) => a.suggestions.map((s) => s.personId))).not.toContain(1003);
    // The same rows added to both give the same answers again (same graph, same next row numbers).
    const strangers = queryRows.map((r, q) => [r, q]).filter(([r]) => faces.identity[r] === 35);
    const first = queries.subarray(strangers[0][1] * dim, (strangers[0][1] + 1) * dim);
    expect(copy.add(first, [7])).toEqual(index.add(first, [7]));
    expect(copy.assign(queries, queryRows.length, { threshold })).toEqual(index.assign(queries, queryRows.length, { threshold }));
    expect(copy.assign(queries.subarray(strangers[1][1] * dim), 1, { threshold })[0].personId).toBe(7);
  });

  it('refuses bytes that are not a person index, and damaged ones', () => {
    const bytes = PersonIndex.build(library, libraryPeople, dim, { method, seed: 2 }).toBytes();
    expect(() => PersonIndex.fromBytes(new TextEncoder().encode('not an index'))).toThrow();
    expect(() => PersonIndex.fromBytes(bytes.subarray(0, bytes.length - 100))).toThrow();
    const foreign = bytes.slice();
    foreign[0] = 'X'.charCodeAt(0);
    expect(() => PersonIndex.fromBytes(foreign)).toThrow();
  });
});

describe('person centroids', () => {
  it('are unit rows, one per person, that assign known faces to the right person', () => {
    const centroids = personCentroids(library, libraryPeople, dim);
    expect(centroids.personIds.length).toBe(30);
    for (let p = 0; p < 30; p++) {
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += centroids.vectors[p * dim + d] ** 2;
      expect(norm).toBeCloseTo(1, 5);
    }
    const index = PersonIndex.build(centroids.vectors, centroids.personIds, dim);
    const result = index.assign(queries, queryRows.length, { threshold });
    queryRows.forEach((r, q) => {
      if (faces.identity[r] < 30) expect(result[q].personId).toBe(1000 + faces.identity[r]);
    });
  });

  it('an empty library assigns nobody', () => {
    const index = PersonIndex.build(new Float32Array(0), [], dim);
    const [only] = index.assign(queries, 1, { threshold });
    expect(only.personId).toBe(-1);
    expect(only.withinThreshold).toBe(false);
    expect(only.suggestions).toEqual([]);
  });
});
