import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHnswIndex } from '../../main/engine/math/hnsw.ts';
import { readBottomLayerLinks } from '../../main/engine/math/hnsw-file.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

describe("reading HNSW's bottom-layer links", () => {
  const faces = syntheticFaces({ n: 300, dim: 32, seed: 6 });

  it('gives each row its links as row labels, never itself', () => {
    const index = createHnswIndex(faces.dim, faces.n, { m: 8, efConstruction: 64, seed: 2 });
    index.add(faces.vectors, faces.n, 0);
    const links = index.bottomLayerLinks();
    expect(links).not.toBeNull();
    const { offsets, targets } = links!;
    expect(offsets.length).toBe(faces.n + 1);
    for (let i = 0; i < faces.n; i++) {
      // Every row was linked at insertion (the first one by the rows that came after it).
      expect(offsets[i + 1] - offsets[i]).toBeGreaterThan(0);
      expect(offsets[i + 1] - offsets[i]).toBeLessThanOrEqual(16);
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        expect(targets[e]).toBeGreaterThanOrEqual(0);
        expect(targets[e]).toBeLessThan(faces.n);
        expect(targets[e]).not.toBe(i);
      }
    }
    // The nearest neighbour of most rows is among their links (HNSW keeps the closest candidate).
    let nearestLinked = 0;
    for (let i = 0; i < faces.n; i++) {
      const nearest = index.search(faces.vectors.subarray(i * faces.dim, (i + 1) * faces.dim), 2, 64).labels.find((j) => j !== i)!;
      if (targets.subarray(offsets[i], offsets[i + 1]).includes(nearest)) nearestLinked++;
    }
    expect(nearestLinked / faces.n).toBeGreaterThan(0.9);
  });

  it('returns null for a file in another format, or when the index cannot be saved', () => {
    expect(readBottomLayerLinks((file) => writeFileSync(file, Buffer.alloc(4096, 7)), faces.n, faces.dim)).toBeNull();
    expect(
      readBottomLayerLinks(() => {
        throw new Error('disk full');
      }, faces.n, faces.dim),
    ).toBeNull();
  });
});
