// Score-level fusion of two embedders as one embedding: [sqrt(w) e1, sqrt(1 - w) e2]. For unit e1, e2 the
// result is a unit vector and its squared L2 distance is w d1^2 + (1 - w) d2^2, so every downstream user of
// L2 distance (verify, clustering, training, the map) fuses the two models without knowing it.
import type { Embedder } from './embedder.ts';

export interface EmbedderPart {
  embedder: Embedder;
  weight: number;
  /** false: never flip-average this part, whatever the pipeline's flip setting (cost without gain). */
  flip?: boolean;
}

export class FusedEmbedder {
  readonly dim: number;
  constructor(readonly modelId: string, readonly parts: EmbedderPart[]) {
    const total = parts.reduce((s, p) => s + p.weight, 0);
    if (Math.abs(total - 1) > 1e-6) throw new Error(`fusion weights must sum to 1 (got ${total})`);
    this.dim = parts.reduce((s, p) => s + p.embedder.dim, 0);
  }

  /** Concatenates the parts' unit vectors scaled by sqrt(weight). */
  combine(vectors: Float32Array[]): Float32Array {
    const out = new Float32Array(this.dim);
    let o = 0;
    this.parts.forEach((p, i) => {
      const k = Math.sqrt(p.weight);
      for (let j = 0; j < vectors[i].length; j++) out[o + j] = vectors[i][j] * k;
      o += vectors[i].length;
    });
    return out;
  }

  dispose(): void {
    this.parts.forEach((p) => p.embedder.dispose());
  }
}

export type AnyEmbedder = Embedder | FusedEmbedder;

export function isFused(e: AnyEmbedder): e is FusedEmbedder {
  return e instanceof FusedEmbedder;
}
