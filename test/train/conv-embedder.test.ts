// End-to-end mode: a small conv embedder trained from crops with the triplet loss on synthetic "faces".
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../main/engine/face/backend.ts';
import { createConvEmbedder, embedCrops, trainConvEmbedder } from '../../main/engine/train/conv-embedder.ts';
import { encodeLabels } from '../../main/engine/train/dataset.ts';
import { identificationAccuracy } from '../../main/engine/train/metrics.ts';
import { syntheticCrops } from '../../main/engine/train/synthetic.ts';

beforeAll(async () => {
  await initBackend();
});

/** Leave-one-out 1-NN accuracy over all crops. */
function nearestNeighbourAccuracy(vectors: Float32Array, dim: number, labels: string[]): number {
  const { codes } = encodeLabels(labels);
  const all = Array.from(codes, (_, i) => i);
  return identificationAccuracy(vectors, dim, codes, all, all).accuracy;
}

describe('trainConvEmbedder', () => {
  it('learns embeddings that identify unseen crops of the trained patterns, without leaking tensors', async () => {
    const size = 32;
    // Gratings whose orientation and frequency are the identity; colour cast and phase vary per image.
    const train = syntheticCrops({ people: 6, imagesPerPerson: 10, size, seed: 1 });
    const test = syntheticCrops({ people: 6, imagesPerPerson: 6, size, seed: 2 });
    const options = { steps: 40, channels: [8, 16, 16], embeddingSize: 32, peoplePerBatch: 6, facesPerPerson: 4, seed: 1 };
    const untrained = createConvEmbedder(size, options);
    const before = nearestNeighbourAccuracy(embedCrops(untrained, test.pixels), 32, test.labels);
    const tensors = tf.memory().numTensors;
    const result = await trainConvEmbedder({ pixels: train.pixels, size, labels: train.labels }, options);
    expect(tf.memory().numTensors).toBe(tensors);
    const embeddings = embedCrops(result.embedder, test.pixels);
    for (let i = 0; i < 3; i++) expect(Math.hypot(...embeddings.subarray(i * 32, (i + 1) * 32))).toBeCloseTo(1, 4);
    const after = nearestNeighbourAccuracy(embeddings, 32, test.labels);
    expect(after).toBeGreaterThan(before + 0.2);
    const losses = result.history.map((h) => h.loss * (h.activeFraction ?? 1));
    const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(first);
  });

  it('refuses crops whose pixel count does not match the labels', async () => {
    await expect(trainConvEmbedder({ pixels: new Float32Array(10), size: 8, labels: ['a', 'b'] }, { steps: 1 })).rejects.toThrow(/pixel values/);
  });
});
