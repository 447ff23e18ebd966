// Identity-balanced batches (FaceNet sec. 3.2): P people x K faces each, plus a few extra negatives.
import { UNLABELLED } from './dataset.ts';
import { randomInt, sampleWithoutReplacement, seededRandom, shuffleInPlace, type Random } from '../math/random.ts';

export interface BatchShape {
  peoplePerBatch: number;
  facesPerPerson: number;
  /** Faces of other people (or unlabelled ones) added as negatives only. */
  extraNegatives: number;
}

export interface FaceBatch {
  /** Indices into the training faces. */
  indices: Int32Array;
  /** Identity code per batch row (-1 unlabelled). */
  labels: Int32Array;
}

export class IdentityBatchSampler {
  private readonly random: Random;
  private readonly facesByPerson = new Map<number, number[]>();
  /** People with at least two faces: the only ones that give anchor-positive pairs. */
  readonly people: number[];
  private queue: number[] = [];

  constructor(
    private readonly codes: Int32Array,
    private readonly shape: BatchShape,
    seed: number,
  ) {
    this.random = seededRandom(seed);
    codes.forEach((code, i) => {
      if (code === UNLABELLED) return;
      const faces = this.facesByPerson.get(code) ?? [];
      faces.push(i);
      this.facesByPerson.set(code, faces);
    });
    this.people = [...this.facesByPerson].filter(([, faces]) => faces.length >= 2).map(([person]) => person);
  }

  /** People are drawn from a reshuffled queue, so each appears about as often as the others. */
  private nextPeople(): number[] {
    const count = Math.min(this.shape.peoplePerBatch, this.people.length);
    const chosen = new Set<number>();
    while (chosen.size < count) {
      if (this.queue.length === 0) this.queue = shuffleInPlace(this.people.slice(), this.random);
      const person = this.queue.pop()!;
      if (chosen.has(person)) {
        // Put a repeat back for the next batch rather than lose its turn.
        this.queue.unshift(person);
        if (this.queue.every((p) => chosen.has(p))) this.queue = [];
        continue;
      }
      chosen.add(person);
    }
    return [...chosen];
  }

  next(): FaceBatch {
    const indices: number[] = [];
    const people = this.nextPeople();
    for (const person of people) indices.push(...sampleWithoutReplacement(this.facesByPerson.get(person)!, this.shape.facesPerPerson, this.random));
    const inBatch = new Set(people);
    const taken = new Set(indices);
    const candidates = this.codes.length - taken.size;
    // Rejection sampling: cheap when the pool is large; bounded so a pool of only batch people ends quickly.
    for (let tries = 0, added = 0; added < this.shape.extraNegatives && tries < this.shape.extraNegatives * 20 && candidates > 0; tries++) {
      const face = randomInt(this.random, this.codes.length);
      if (taken.has(face) || inBatch.has(this.codes[face])) continue;
      taken.add(face);
      indices.push(face);
      added++;
    }
    return { indices: Int32Array.from(indices), labels: Int32Array.from(indices, (i) => this.codes[i]) };
  }
}
