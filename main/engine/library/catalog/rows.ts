// Typed records of the catalog and their mapping from SQLite rows (snake_case, BLOBs) to domain objects.
import type { Box, FaceQuality, FaceSource, FivePoints } from '../../face/types.ts';

export type PhotoStatus = 'ok' | 'failed' | 'retired' | 'duplicate';
export type AssignmentSource = 'auto' | 'user';
export type ConstraintKind = 'reject' | 'cannot-link' | 'must-link';

export interface Root {
  id: number;
  path: string;
  addedAt: number;
  lastScanAt: number | null;
}

export interface Photo {
  id: number;
  rootId: number | null;
  path: string;
  size: number;
  mtimeMs: number;
  contentHash: string | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
  /** Milliseconds since the epoch, from EXIF DateTimeOriginal (local time read as written). */
  takenAt: number | null;
  status: PhotoStatus;
  duplicateOf: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  detectorId: string | null;
  modelId: string | null;
  indexedAt: number;
  retiredAt: number | null;
}

export interface Face {
  id: number;
  photoId: number;
  box: Box;
  landmarks: FivePoints;
  score: number;
  /** How the engine found it: 'detector', or a fallback for tight crops ('padded', 'whole-image', 'centre-crop'). */
  source: FaceSource;
  quality: FaceQuality;
  embedding: Float32Array;
  modelId: string;
  detectorId: string;
  /** Path of the face thumbnail relative to the thumbnail cache folder. */
  thumb: string | null;
  createdAt: number;
}

export interface Person {
  id: number;
  name: string | null;
  hidden: boolean;
  coverFaceId: number | null;
  createdAt: number;
}

export interface Assignment {
  faceId: number;
  personId: number;
  source: AssignmentSource;
  createdAt: number;
}

export interface Constraint {
  id: number;
  kind: ConstraintKind;
  faceId: number;
  personId: number | null;
  otherFaceId: number | null;
  createdAt: number;
}

export interface Decision<P = unknown> {
  id: number;
  kind: string;
  payload: P;
  createdAt: number;
  undoneAt: number | null;
}

export interface Adapter {
  id: number;
  modelId: string;
  loss: string;
  weights: Uint8Array;
  metrics: Record<string, unknown>;
  adopted: boolean;
  createdAt: number;
}

export interface CatalogStats {
  /** Photos analysed successfully (status 'ok'). */
  photos: number;
  faces: number;
  failed: number;
  people: number;
  retired: number;
  duplicates: number;
}

type Row = Record<string, unknown>;

export function toRoot(r: Row): Root {
  return { id: r.id as number, path: r.path as string, addedAt: r.added_at as number, lastScanAt: (r.last_scan_at as number | null) ?? null };
}

export function toPhoto(r: Row): Photo {
  return {
    id: r.id as number,
    rootId: r.root_id as number | null,
    path: r.path as string,
    size: r.size as number,
    mtimeMs: r.mtime_ms as number,
    contentHash: r.content_hash as string | null,
    width: r.width as number | null,
    height: r.height as number | null,
    orientation: r.orientation as number | null,
    takenAt: r.taken_at as number | null,
    status: r.status as PhotoStatus,
    duplicateOf: r.duplicate_of as number | null,
    errorCode: r.error_code as string | null,
    errorMessage: r.error_message as string | null,
    detectorId: r.detector_id as string | null,
    modelId: r.model_id as string | null,
    indexedAt: r.indexed_at as number,
    retiredAt: r.retired_at as number | null,
  };
}

/** Float32 embeddings are stored as their raw little-endian bytes. */
export function embeddingToBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function blobToEmbedding(b: Buffer): Float32Array {
  // Copy: a Buffer from SQLite need not be 4-byte aligned.
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export function toFace(r: Row): Face {
  return {
    id: r.id as number,
    photoId: r.photo_id as number,
    box: { x: r.x as number, y: r.y as number, width: r.w as number, height: r.h as number },
    landmarks: JSON.parse(r.landmarks as string) as FivePoints,
    score: r.score as number,
    source: r.source as FaceSource,
    quality: { size: r.quality_size as number, sharpness: r.quality_sharpness as number, frontal: r.quality_frontal as number },
    embedding: blobToEmbedding(r.embedding as Buffer),
    modelId: r.model_id as string,
    detectorId: r.detector_id as string,
    thumb: r.thumb as string | null,
    createdAt: r.created_at as number,
  };
}

export function toPerson(r: Row): Person {
  return {
    id: r.id as number,
    name: r.name as string | null,
    hidden: r.hidden === 1,
    coverFaceId: r.cover_face_id as number | null,
    createdAt: r.created_at as number,
  };
}

export function toAssignment(r: Row): Assignment {
  return { faceId: r.face_id as number, personId: r.person_id as number, source: r.source as AssignmentSource, createdAt: r.created_at as number };
}

export function toConstraint(r: Row): Constraint {
  return {
    id: r.id as number,
    kind: r.kind as ConstraintKind,
    faceId: r.face_id as number,
    personId: r.person_id as number | null,
    otherFaceId: r.other_face_id as number | null,
    createdAt: r.created_at as number,
  };
}

export function toDecision<P>(r: Row): Decision<P> {
  return { id: r.id as number, kind: r.kind as string, payload: JSON.parse(r.payload as string) as P, createdAt: r.created_at as number, undoneAt: r.undone_at as number | null };
}

export function toAdapter(r: Row): Adapter {
  const w = r.weights as Buffer;
  return {
    id: r.id as number,
    modelId: r.model_id as string,
    loss: r.loss as string,
    weights: new Uint8Array(w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength)),
    metrics: JSON.parse(r.metrics as string) as Record<string, unknown>,
    adopted: r.adopted === 1,
    createdAt: r.created_at as number,
  };
}
