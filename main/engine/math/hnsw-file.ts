// Reads the bottom-layer links of an hnswlib index from the file hnswlib writes (hnswlib 0.8, as bundled
// by hnswlib-node 3): HierarchicalNSW::saveIndex, a fixed header then one fixed-size record per element.
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Neighbours of label i in the index's bottom layer: targets[offsets[i] .. offsets[i+1]). */
export interface BottomLayerLinks {
  offsets: Int32Array;
  targets: Int32Array;
}

// Header: offsetLevel0, max_elements, cur_element_count, size_data_per_element, label_offset, offsetData
// (size_t each), maxlevel (int), enterpoint_node (uint32), maxM, maxM0, M (size_t), mult (double),
// ef_construction (size_t).
const HEADER_BYTES = 6 * 8 + 4 + 4 + 3 * 8 + 8 + 8;

/**
 * Saves the index to a temporary file and parses it. Returns null when the file cannot be written or
 * does not look like the expected format (the caller then searches every row), so a changed hnswlib
 * degrades speed, not results.
 */
export function readBottomLayerLinks(save: (file: string) => void, labels: number, graphDim: number): BottomLayerLinks | null {
  const dir = mkdtempSync(path.join(tmpdir(), 'face-atlas-hnsw-'));
  try {
    const file = path.join(dir, 'index.bin');
    let buf: Buffer;
    try {
      save(file);
      buf = readFileSync(file);
    } catch {
      // No room in the temp folder, say: searching every row gives the same lists, only slower.
      return null;
    }
    if (buf.byteLength < HEADER_BYTES) return null;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const size = (offset: number): number => Number(view.getBigUint64(offset, true));
    const count = size(16);
    const perElement = size(24);
    const labelOffset = size(32);
    const dataOffset = size(40);
    const maxM0 = size(64);
    const linkBytes = 4 + 4 * maxM0;
    const plausible =
      size(0) === 0 &&
      count === labels &&
      dataOffset === linkBytes &&
      labelOffset === linkBytes + 4 * graphDim &&
      perElement === labelOffset + 8 &&
      buf.byteLength >= HEADER_BYTES + count * perElement;
    if (!plausible) return null;

    const labelOf = new Int32Array(count);
    for (let e = 0; e < count; e++) {
      const label = size(HEADER_BYTES + e * perElement + labelOffset);
      if (label >= labels) return null;
      labelOf[e] = label;
    }
    const offsets = new Int32Array(labels + 1);
    for (let e = 0; e < count; e++) offsets[labelOf[e] + 1] = view.getUint16(HEADER_BYTES + e * perElement, true);
    for (let i = 0; i < labels; i++) offsets[i + 1] += offsets[i];
    const targets = new Int32Array(offsets[labels]);
    for (let e = 0; e < count; e++) {
      const base = HEADER_BYTES + e * perElement;
      const links = view.getUint16(base, true);
      if (links > maxM0) return null;
      for (let t = 0, w = offsets[labelOf[e]]; t < links; t++) {
        const internal = view.getUint32(base + 4 + 4 * t, true);
        if (internal >= count) return null;
        targets[w + t] = labelOf[internal];
      }
    }
    return { offsets, targets };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
