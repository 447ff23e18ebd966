// The face map crosses the bridges as pages of little-endian typed arrays packed in base64 (JSON-safe on
// both the Electron IPC and the WebSocket bridge), not as JSON arrays of numbers: 100k faces are ~2.2 MB
// of base64 instead of ~5 MB of JSON, and decode with one atob per array instead of a million numbers.
// Both sides use these helpers, so the layout is written once. Plain data only (no DOM, no Node).

/** Faces per page: 2 pages for a 100k-face library, each ~1.1 MB of base64 with its four arrays. */
export const MAP_PAGE_FACES = 65_536;

/** Bytes each face takes in each packed array of a page. */
export const MAP_PAGE_BYTES = { faceIds: 4, photoIds: 4, personIds: 4, xy: 8 } as const;

/** A decoded page: ids as Uint32 (person 0 = unassigned), positions as x, y pairs. */
export interface MapPageArrays {
  faceIds: Uint32Array;
  photoIds: Uint32Array;
  personIds: Uint32Array;
  xy: Float32Array;
}

/** A page on the wire: each array's little-endian bytes in base64. */
export type PackedMapPage = Record<keyof MapPageArrays, string>;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function bytesOf(view: ArrayBufferView): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('map pages need a little-endian host');
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function packMapPage(page: MapPageArrays): PackedMapPage {
  return {
    faceIds: toBase64(bytesOf(page.faceIds)),
    photoIds: toBase64(bytesOf(page.photoIds)),
    personIds: toBase64(bytesOf(page.personIds)),
    xy: toBase64(bytesOf(page.xy)),
  };
}

/**
 * Decodes a page of `count` faces and checks it: every array holds exactly `count` faces, face and photo
 * face ids are positive (photo 0: unknown), coordinates finite. Throws an Error that says which array is wrong.
 */
export function unpackMapPage(packed: PackedMapPage, count: number): MapPageArrays {
  const arrays = {} as Record<keyof MapPageArrays, Uint8Array>;
  for (const key of Object.keys(MAP_PAGE_BYTES) as (keyof MapPageArrays)[]) {
    const bytes = fromBase64(packed[key]);
    if (bytes.byteLength !== count * MAP_PAGE_BYTES[key]) throw new Error(`map page: ${key} has ${bytes.byteLength} bytes for ${count} faces`);
    arrays[key] = bytes;
  }
  if (!LITTLE_ENDIAN) throw new Error('map pages need a little-endian host');
  const page: MapPageArrays = {
    faceIds: new Uint32Array(arrays.faceIds.buffer),
    photoIds: new Uint32Array(arrays.photoIds.buffer),
    personIds: new Uint32Array(arrays.personIds.buffer),
    xy: new Float32Array(arrays.xy.buffer),
  };
  for (let i = 0; i < count; i++) {
    if (page.faceIds[i] === 0) throw new Error(`map page: face ${i} has no id`);
    if (!Number.isFinite(page.xy[2 * i]) || !Number.isFinite(page.xy[2 * i + 1])) throw new Error(`map page: face ${page.faceIds[i]} has no finite position`);
  }
  return page;
}

/** Base64 characters of one array of a full page, for the schema's length limits. */
export const maxPackedLength = (bytesPerFace: number): number => Math.ceil((MAP_PAGE_FACES * bytesPerFace) / 3) * 4;
