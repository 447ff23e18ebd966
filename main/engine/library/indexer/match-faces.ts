// Pairs the faces found in a changed photo with its old faces, so a re-detected face keeps its id and
// the user's decisions, and a different face that happens to sit in the same place does not.
import { l2Distance } from '../../math/vectors.ts';
import type { Box } from '../../face/types.ts';
import { boxIoU } from '../../math/boxes.ts';

export { boxIoU };

export interface MatchableFace {
  box: Box;
  embedding: Float32Array;
  modelId: string;
}

/**
 * Greedy one-to-one matching by descending IoU. A pair matches when the boxes overlap by at least
 * `minIoU` and, when both embeddings come from the same model, they are within `maxDistance` (L2):
 * the same place is not enough when the picture itself was replaced.
 * Returns, for each new face, the id of the old face it continues, or null.
 */
export function matchReDetectedFaces(
  oldFaces: (MatchableFace & { id: number })[],
  newFaces: MatchableFace[],
  opts: { minIoU: number; maxDistance: number },
): (number | null)[] {
  const pairs: { i: number; j: number; iou: number }[] = [];
  newFaces.forEach((nf, i) =>
    oldFaces.forEach((of, j) => {
      const iou = boxIoU(nf.box, of.box);
      if (iou < opts.minIoU) return;
      if (nf.modelId === of.modelId && nf.embedding.length === of.embedding.length && l2Distance(nf.embedding, of.embedding) > opts.maxDistance) return;
      pairs.push({ i, j, iou });
    }),
  );
  pairs.sort((p, q) => q.iou - p.iou || p.i - q.i || p.j - q.j);
  const keep: (number | null)[] = newFaces.map(() => null);
  const usedOld = new Set<number>();
  for (const { i, j } of pairs) {
    if (keep[i] !== null || usedOld.has(j)) continue;
    keep[i] = oldFaces[j].id;
    usedOld.add(j);
  }
  return keep;
}
