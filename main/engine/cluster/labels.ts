// Turns any per-face cluster key into the public labels: 0..clusters-1 by first face, small clusters as noise.
import type { ClusterResult } from './types.ts';

/** `key[i]` is any integer naming face i's cluster, or -1 for noise. */
export function finishLabels(key: Int32Array, minClusterSize = 1): ClusterResult {
  const n = key.length;
  const size = new Map<number, number>();
  for (let i = 0; i < n; i++) if (key[i] >= 0) size.set(key[i], (size.get(key[i]) ?? 0) + 1);
  const label = new Map<number, number>();
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = key[i];
    if (c < 0 || (size.get(c) ?? 0) < minClusterSize) {
      labels[i] = -1;
      continue;
    }
    let l = label.get(c);
    if (l === undefined) label.set(c, (l = label.size));
    labels[i] = l;
  }
  return { labels, clusters: label.size };
}
