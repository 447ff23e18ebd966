// Reads the bottom-layer links of an hnswlib index from the file hnswlib writes (hnswlib 0.8, as bundled
// by hnswlib-node 3): HierarchicalNSW::saveIndex, a fixed header then one fixed-size record per element.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  let buf: Buffer;
  try {
    buf = savedIndexBytes(save);
  } catch {
    // No room in the temp folder, say: searching every row gives the same lists, only slower.
    return null;
  }
  const header = parseHeader(buf, graphDim);
  if (!header || header.count !== labels) return null;
  const { count, perElement, labelOffset, maxM0 } = header;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const size = (offset: number): number => Number(view.getBigUint64(offset, true));

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
}

/** The layout fields of an hnswlib file whose vectors have `graphDim` floats; null when it is not one. */
function parseHeader(buf: Uint8Array, graphDim: number): { count: number; perElement: number; labelOffset: number; maxM0: number } | null {
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
    dataOffset === linkBytes &&
    labelOffset === linkBytes + 4 * graphDim &&
    perElement === labelOffset + 8 &&
    buf.byteLength >= HEADER_BYTES + count * perElement;
  return plausible ? { count, perElement, labelOffset, maxM0 } : null;
}

/** In a temporary folder that is removed afterwards: hnswlib reads and writes indexes only as named files. */
export function withTempFile<T>(use: (file: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'face-atlas-hnsw-'));
  try {
    return use(path.join(dir, 'index.bin'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bytes of the file `save` writes (hnswlib's writeIndexSync). */
export function savedIndexBytes(save: (file: string) => void): Buffer {
  return withTempFile((file) => {
    save(file);
    return readFileSync(file);
  });
}

/**
 * Hands hnswlib's readIndexSync a file holding these bytes, after checking that they are laid out as an
 * index of `count` elements of `graphDim` floats (hnswlib itself trusts its file).
 */
export function loadIndexBytes(bytes: Uint8Array, graphDim: number, count: number, load: (file: string) => void): void {
  if (parseHeader(bytes, graphDim)?.count !== count) throw new Error('not an hnswlib index of the expected shape');
  withTempFile((file) => {
    writeFileSync(file, bytes);
    load(file);
  });
}
