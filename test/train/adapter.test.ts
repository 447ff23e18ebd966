// The adapter head: identity at start, cheap projection, and a storage round trip the catalog can rely on.
import { l2NormalisedRows } from '../../main/engine/math/vectors.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../main/engine/face/backend.ts';
import { applyAdapter, deserializeAdapter, initialAdapterWeights, makeAdapter, serializeAdapter, type Adapter, type AdapterKind } from '../../main/engine/train/adapter.ts';
import { normalDeviates, seededRandom } from '../../main/engine/math/random.ts';

beforeAll(async () => {
  await initBackend();
});

function freshAdapter(kind: AdapterKind, dim: number): Adapter {
  return makeAdapter(initialAdapterWeights(kind, dim, dim, seededRandom(1)), {
    embeddingModelId: 'mobilefacenet-192',
    kind,
    dim,
    hidden: kind === 'residual' ? dim : 0,
    loss: 'triplet',
    settings: { margin: 0.2 },
    steps: 0,
    trainedAt: '2024-01-01T00:00:00.000Z',
  });
}

describe('adapter head', () => {
  for (const kind of ['linear', 'residual'] as const) {
    it(`${kind}: is the identity (on unit vectors) before training, without leaking tensors`, () => {
      const vectors = normalDeviates(10 * 6, seededRandom(2));
      const before = tf.memory().numTensors;
      const out = applyAdapter(vectors, freshAdapter(kind, 6));
      expect(tf.memory().numTensors).toBe(before);
      const expected = l2NormalisedRows(vectors, vectors.length / 6, 6);
      expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
    });
  }

  it('projects with the stored weights: a diagonal head scales then renormalises', () => {
    const adapter = freshAdapter('linear', 2);
    // w = diag(2, 0.5), b = (0, 0): (0.6, 0.8) -> (1.2, 0.4) / |.| = (0.948683, 0.316228).
    adapter.weights.set([2, 0, 0, 0.5], adapter.meta.weights.find((s) => s.name === 'w')!.offset);
    const out = applyAdapter(Float32Array.from([0.6, 0.8]), adapter);
    expect(out[0]).toBeCloseTo(0.948683, 5);
    expect(out[1]).toBeCloseTo(0.316228, 5);
  });

  it('survives serialise/deserialise through an unaligned byte buffer', () => {
    const adapter = freshAdapter('residual', 4);
    adapter.weights[3] = 0.125;
    const stored = serializeAdapter(adapter);
    const unaligned = new Uint8Array(stored.weights.byteLength + 1).subarray(1);
    unaligned.set(stored.weights);
    const restored = deserializeAdapter({ weights: unaligned, meta: stored.meta });
    expect(restored.meta).toEqual(adapter.meta);
    expect(Array.from(restored.weights)).toEqual(Array.from(adapter.weights));
    expect(restored.meta.embeddingModelId).toBe('mobilefacenet-192');
  });

  it('rejects weights that do not match the metadata', () => {
    const stored = serializeAdapter(freshAdapter('linear', 3));
    expect(() => deserializeAdapter({ weights: stored.weights.subarray(0, stored.weights.byteLength - 4), meta: stored.meta })).toThrow(/runs past|floats/);
    const meta = JSON.parse(stored.meta);
    meta.format = 'something-else';
    expect(() => deserializeAdapter({ weights: stored.weights, meta: JSON.stringify(meta) })).toThrow();
    meta.format = 'face-atlas-adapter/1';
    meta.weights[0].shape = [3, 2];
    expect(() => deserializeAdapter({ weights: stored.weights, meta: JSON.stringify(meta) })).toThrow(/expected shape/);
  });
});
