// Greedy non-maximum suppression over [x1, y1, x2, y2] boxes, as in MTCNN's reference code:
// 'union' divides the overlap by the union (IoU), 'min' by the smaller box (suppresses nested boxes).

export interface ScoredBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

export function overlap(a: ScoredBox, b: ScoredBox, mode: 'union' | 'min'): number {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + 1);
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + 1);
  const inter = w * h;
  const areaA = (a.x2 - a.x1 + 1) * (a.y2 - a.y1 + 1);
  const areaB = (b.x2 - b.x1 + 1) * (b.y2 - b.y1 + 1);
  return mode === 'min' ? inter / Math.min(areaA, areaB) : inter / (areaA + areaB - inter);
}

/** Returns the indices of the kept boxes, highest score first. */
export function nonMaxSuppression<T extends ScoredBox>(boxes: T[], threshold: number, mode: 'union' | 'min'): number[] {
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[b].score - boxes[a].score);
  const suppressed = new Uint8Array(boxes.length);
  const keep: number[] = [];
  for (let a = 0; a < order.length; a++) {
    const i = order[a];
    if (suppressed[i]) continue;
    keep.push(i);
    for (let b = a + 1; b < order.length; b++) {
      const j = order[b];
      if (!suppressed[j] && overlap(boxes[i], boxes[j], mode) > threshold) suppressed[j] = 1;
    }
  }
  return keep;
}
