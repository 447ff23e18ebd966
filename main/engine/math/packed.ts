// Typed arrays and a JSON header packed into one byte string and back: how an index is stored (hnsw.ts, the
// person index). Layout: "FAPK", the header's byte length (u32 LE), the header as UTF-8 JSON, then each array
// as its kind (u8), its byte length (f64 LE) and its bytes. Unpacking copies every array, so the input's
// alignment does not matter, and checks every length, so a truncated or foreign input throws.

const MAGIC = 'FAPK';
const KINDS = [Uint8Array, Int32Array, Float32Array, Float64Array] as const;
export type PackedArray = Uint8Array | Int32Array | Float32Array | Float64Array;

export class PackedFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackedFormatError';
  }
}

export function pack(header: unknown, arrays: readonly PackedArray[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const total = 4 + 4 + json.byteLength + arrays.reduce((sum, a) => sum + 1 + 8 + a.byteLength, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, json.byteLength, true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const a of arrays) {
    const kind = KINDS.findIndex((K) => a instanceof K);
    if (kind < 0) throw new TypeError('pack: unsupported array type');
    view.setUint8(at, kind);
    view.setFloat64(at + 1, a.byteLength, true);
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at + 9);
    at += 9 + a.byteLength;
  }
  return out;
}

export function unpack(bytes: Uint8Array): { header: unknown; arrays: PackedArray[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw new PackedFormatError('not a packed index');
  const jsonLength = view.getUint32(4, true);
  if (8 + jsonLength > bytes.byteLength) throw new PackedFormatError('packed index truncated in its header');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + jsonLength)));
  } catch {
    throw new PackedFormatError('packed index header is not JSON');
  }
  const arrays: PackedArray[] = [];
  let at = 8 + jsonLength;
  while (at < bytes.byteLength) {
    if (at + 9 > bytes.byteLength) throw new PackedFormatError('packed index truncated');
    const Kind = KINDS[view.getUint8(at)];
    const length = view.getFloat64(at + 1, true);
    if (!Kind || !Number.isInteger(length) || length < 0 || length % Kind.BYTES_PER_ELEMENT !== 0 || at + 9 + length > bytes.byteLength) {
      throw new PackedFormatError('packed index truncated or damaged');
    }
    const copy = new Kind(length / Kind.BYTES_PER_ELEMENT);
    new Uint8Array(copy.buffer).set(bytes.subarray(at + 9, at + 9 + length));
    arrays.push(copy);
    at += 9 + length;
  }
  return { header, arrays };
}
