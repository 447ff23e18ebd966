// Barnes-Hut t-SNE (van der Maaten 2014, "Accelerating t-SNE using Tree-Based Algorithms", JMLR 15).
import { jointProbabilities, type SparseAffinities } from './affinities.ts';
import {
  TSNE_EARLY_EXAGGERATION,
  TSNE_EXAGGERATION_ITERATIONS,
  TSNE_INITIAL_SPREAD,
  TSNE_ITERATIONS,
  TSNE_MIN_LEARNING_RATE,
  TSNE_MOMENTUM_EARLY,
  TSNE_MOMENTUM_LATE,
  TSNE_PERPLEXITY,
  TSNE_THETA,
} from './constants.ts';
import type { NeighbourLists } from '../math/neighbours.ts';
import { QuadTree } from './quadtree.ts';
import { gaussianRandom, seededRandom } from '../math/random.ts';

export interface TsneSettings {
  perplexity: number;
  theta: number;
  iterations: number;
  earlyExaggeration: number;
  exaggerationIterations: number;
  momentumEarly: number;
  momentumLate: number;
  /** Step size; defaults to max(n / earlyExaggeration, TSNE_MIN_LEARNING_RATE). */
  learningRate?: number;
}

export const defaultTsneSettings: TsneSettings = {
  perplexity: TSNE_PERPLEXITY,
  theta: TSNE_THETA,
  iterations: TSNE_ITERATIONS,
  earlyExaggeration: TSNE_EARLY_EXAGGERATION,
  exaggerationIterations: TSNE_EXAGGERATION_ITERATIONS,
  momentumEarly: TSNE_MOMENTUM_EARLY,
  momentumLate: TSNE_MOMENTUM_LATE,
};

/** Neighbours kept per point for the sparse P: floor(3u) (van der Maaten 2014, Sec. 4.1). */
export function tsneNeighbourCount(perplexity: number, n: number): number {
  return Math.max(1, Math.min(n - 1, Math.floor(3 * perplexity)));
}

/** One t-SNE run, advanced an iteration at a time so a caller can report progress and cancel. */
export class BarnesHutTsne {
  readonly n: number;
  readonly iterations: number;
  private iteration = 0;
  private readonly settings: TsneSettings;
  private readonly p: SparseAffinities;
  private readonly learningRate: number;
  private readonly y: Float64Array;
  private readonly update: Float64Array;
  private readonly gains: Float64Array;
  private readonly attraction: Float64Array;
  private readonly repulsion: Float64Array;
  private readonly tree = new QuadTree();

  /** `graph`: the floor(3u) nearest neighbours of each point in the input space. */
  constructor(graph: NeighbourLists, seed: number, settings: Partial<TsneSettings> = {}) {
    this.settings = { ...defaultTsneSettings, ...settings };
    const n = graph.n;
    this.n = n;
    this.iterations = this.settings.iterations;
    this.p = jointProbabilities(graph, this.settings.perplexity);
    this.learningRate =
      this.settings.learningRate ?? Math.max(n / this.settings.earlyExaggeration, TSNE_MIN_LEARNING_RATE);
    this.y = new Float64Array(2 * n);
    const gaussian = gaussianRandom(seededRandom(seed));
    for (let e = 0; e < 2 * n; e++) this.y[e] = TSNE_INITIAL_SPREAD * gaussian();
    this.update = new Float64Array(2 * n);
    this.gains = new Float64Array(2 * n).fill(1);
    this.attraction = new Float64Array(2 * n);
    this.repulsion = new Float64Array(2 * n);
  }

  get done(): boolean {
    return this.iteration >= this.iterations;
  }

  get completedIterations(): number {
    return this.iteration;
  }

  /** One gradient step with momentum and per-coordinate gains (Jacobs 1988, as in the paper's Sec. 5). */
  step(): void {
    if (this.done) return;
    const { n, y, update, gains, attraction, repulsion } = this;
    const exaggerating = this.iteration < this.settings.exaggerationIterations;
    const exaggeration = exaggerating ? this.settings.earlyExaggeration : 1;
    const momentum = exaggerating ? this.settings.momentumEarly : this.settings.momentumLate;

    // dC/dy_i = 4 (F_attr - F_rep) (Eq. 3); the constant 4 is folded into the learning rate.
    // F_attr = sum_j p_ij q_ij Z (y_i - y_j), over the sparse P only (Eq. 4).
    attraction.fill(0);
    const { rowStart, cols, values } = this.p;
    for (let i = 0; i < n; i++) {
      const xi = y[2 * i];
      const yi = y[2 * i + 1];
      let fx = 0;
      let fy = 0;
      for (let e = rowStart[i], end = rowStart[i + 1]; e < end; e++) {
        const j = cols[e];
        const dx = xi - y[2 * j];
        const dy = yi - y[2 * j + 1];
        const qz = 1 / (1 + dx * dx + dy * dy);
        const w = exaggeration * values[e] * qz;
        fx += w * dx;
        fy += w * dy;
      }
      attraction[2 * i] = fx;
      attraction[2 * i + 1] = fy;
    }

    // F_rep = sum_j q_ij^2 Z (y_i - y_j) = (1/Z) sum_j (q_ij Z)^2 (y_i - y_j), by Barnes-Hut (Eq. 5).
    repulsion.fill(0);
    this.tree.build(y, n);
    let z = 0;
    for (let i = 0; i < n; i++) z += this.tree.repulsion(i, y[2 * i], y[2 * i + 1], this.settings.theta, repulsion);
    const inverseZ = z > 0 ? 1 / z : 0;

    const rate = this.learningRate;
    let meanX = 0;
    let meanY = 0;
    for (let e = 0; e < 2 * n; e++) {
      const gradient = attraction[e] - repulsion[e] * inverseZ;
      // Gains grow where the gradient's sign flips against the last update, shrink where it agrees.
      gains[e] = Math.sign(gradient) !== Math.sign(update[e]) ? gains[e] + 0.2 : Math.max(gains[e] * 0.8, 0.01);
      update[e] = momentum * update[e] - rate * gains[e] * gradient;
      y[e] += update[e];
      if (e % 2 === 0) meanX += y[e];
      else meanY += y[e];
    }
    // The cost is translation invariant: keep the layout centred so the quadtree bounds stay tight.
    meanX /= n;
    meanY /= n;
    for (let i = 0; i < n; i++) {
      y[2 * i] -= meanX;
      y[2 * i + 1] -= meanY;
    }
    this.iteration++;
  }

  /** Current layout, n x 2. */
  positions(): Float32Array {
    return Float32Array.from(this.y);
  }
}
