// Training the adapter head on synthetic identities a linear map can separate, and the adoption guardrail.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../main/engine/face/backend.ts';
import { subset } from '../../main/engine/train/dataset.ts';
import { evalTrain } from '../../main/engine/train/eval-train.ts';
import { DEFAULT_GUARDRAIL_OPTIONS, decideAdoption, evaluateSplit, splitForGuardrail, trainAndEvaluate } from '../../main/engine/train/guardrail.ts';
import { seededRandom, shuffleInPlace } from '../../main/engine/math/random.ts';
import { syntheticEmbeddings } from '../../main/engine/train/synthetic.ts';
import { trainAdapter, type TrainProgress } from '../../main/engine/train/train-adapter.ts';

beforeAll(async () => {
  await initBackend();
});

// Identity in 8 of 32 dims under larger nuisance variation, rotated: raw 1-NN is poor, a linear head fixes it.
const data = syntheticEmbeddings({ people: 30, facesPerPerson: 8, dim: 32, identityDims: 8, nuisanceScale: 1.0, seed: 3 });
const batch = { peoplePerBatch: 16, facesPerPerson: 4, extraNegatives: 8 };

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Loss per mined triplet (inactive ones count as zero), so it falls as triplets become inactive. */
function perTriplet(history: TrainProgress[]): number[] {
  return history.map((h) => h.loss * (h.activeFraction ?? 1));
}

describe('trainAndEvaluate', () => {
  it('triplet loss with semi-hard mining lowers the loss and raises held-out and untrained accuracy', async () => {
    const tensors = tf.memory().numTensors;
    const result = await trainAndEvaluate(data, { loss: 'triplet', steps: 150, seed: 7, ...batch });
    expect(tf.memory().numTensors).toBe(tensors);
    const losses = perTriplet(result.training.history);
    expect(mean(losses.slice(-10))).toBeLessThan(0.5 * mean(losses.slice(0, 10)));
    const { before, after } = result.report;
    expect(after.heldOut.identification).toBeGreaterThan(before.heldOut.identification + 0.1);
    expect(after.heldOut.verification).toBeGreaterThan(before.heldOut.verification);
    expect(after.untrained!.identification).toBeGreaterThan(before.untrained!.identification);
    expect(result.adopted).toBe(true);
    expect(result.report.reasons).toEqual([]);
    expect(result.adapter.meta.metrics).toBe(result.report);
    // Train and held-out faces of trained people do not overlap, and untrained people are absent from training.
    expect(result.report.faces.train + result.report.faces.heldOut + result.report.faces.untrained).toBe(data.labels.length);
  });

  it('softmax + center loss lowers its loss and raises held-out identification', async () => {
    const tensors = tf.memory().numTensors;
    const result = await trainAndEvaluate(data, { loss: 'center', steps: 150, seed: 7, ...batch });
    expect(tf.memory().numTensors).toBe(tensors);
    const history = result.training.history;
    expect(mean(history.slice(-10).map((h) => h.loss))).toBeLessThan(0.5 * mean(history.slice(0, 10).map((h) => h.loss)));
    expect(mean(history.slice(-10).map((h) => h.centerLoss!))).toBeLessThan(mean(history.slice(0, 10).map((h) => h.centerLoss!)));
    expect(result.report.after.heldOut.identification).toBeGreaterThan(result.report.before.heldOut.identification);
    expect(result.adopted).toBe(true);
  });

  it('batch-hard mining with a residual head also helps', async () => {
    const result = await trainAndEvaluate(data, { loss: 'triplet', mining: 'batchHard', adapterKind: 'residual', steps: 150, seed: 7, ...batch });
    expect(result.adapter.meta.kind).toBe('residual');
    expect(result.report.after.heldOut.identification).toBeGreaterThan(result.report.before.heldOut.identification);
  });

  it('rejects a head trained for zero steps (no gain)', async () => {
    const result = await trainAndEvaluate(data, { loss: 'triplet', steps: 0, seed: 7, ...batch });
    expect(result.adopted).toBe(false);
    expect(result.report.reasons).toContain('no held-out gain');
  });

  it('rejects a head trained on shuffled labels', async () => {
    const split = splitForGuardrail(data.labels, DEFAULT_GUARDRAIL_OPTIONS, 7);
    const train = subset(data, split.train);
    const shuffled = { ...train, labels: shuffleInPlace(train.labels.slice(), seededRandom(107)) };
    const trained = await trainAdapter(shuffled, { loss: 'triplet', steps: 150, seed: 7, ...batch });
    const before = evaluateSplit(data, split, null, 10, 7);
    const after = evaluateSplit(data, split, trained.adapter, 10, 7);
    const decision = decideAdoption(before, after, DEFAULT_GUARDRAIL_OPTIONS);
    expect(decision.adopted).toBe(false);
    expect(after.heldOut.identification).toBeLessThan(before.heldOut.identification);
  });
});

describe('trainAdapter', () => {
  it('reports progress every step and stops on abort without leaking tensors', async () => {
    const controller = new AbortController();
    const seen: TrainProgress[] = [];
    const tensors = tf.memory().numTensors;
    const run = trainAdapter(data, { loss: 'triplet', steps: 50, seed: 1, ...batch }, {
      signal: controller.signal,
      onProgress: (progress) => {
        seen.push(progress);
        if (progress.step === 5) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(seen.map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
    for (const p of seen) {
      expect(p.activeFraction).toBeGreaterThanOrEqual(0);
      expect(p.activeFraction).toBeLessThanOrEqual(1);
      expect(p.triplets).toBeGreaterThan(0);
    }
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('repeats exactly with the same seed', async () => {
    const a = await trainAdapter(data, { loss: 'center', steps: 5, seed: 3, ...batch });
    const b = await trainAdapter(data, { loss: 'center', steps: 5, seed: 3, ...batch });
    expect(Array.from(a.adapter.weights)).toEqual(Array.from(b.adapter.weights));
    expect(a.adapter.meta.settings.loss).toBe('center');
  });
});

describe('evalTrain', () => {
  it('returns before/after fractions, the loss, time and the adoption decision', async () => {
    const labels = data.labels.map(String);
    const result = await evalTrain({ vectors: data.vectors, dim: data.dim, labels }, { loss: 'triplet', seed: 2, steps: 60, ...batch });
    for (const side of [result.before, result.after]) {
      for (const value of [side.identification, side.verification]) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
    expect(result.loss).toBe('triplet');
    expect(result.steps).toBe(60);
    expect(result.seconds).toBeGreaterThan(0);
    expect(result.adopted).toBe(result.reasons.length === 0);
    expect(result.after.identification).toBeGreaterThan(result.before.identification);
    expect(result.trainingLoss.last).toBeLessThan(result.trainingLoss.first);
  });
});
