// The Verify view's engine calls: analyse a dropped photo (in the engine's workers) or take a library face,
// keep its faces for a few later calls, and compare two faces or find the closest people.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { API_LIMITS, type Suggestion, type Verdict, type VerifyPhoto } from '../../shared/api.ts';
import { ApiError } from '../../shared/rpc.ts';
import { alignFace, ARCFACE_TEMPLATE_112 } from '../engine/face/align.ts';
import type { Catalog } from '../engine/library/catalog/catalog.ts';
import { decodePhoto, ImageError } from '../engine/face/decode.ts';
import { mainFaceIndex } from '../engine/face/pipeline.ts';
import type { Box, FivePoints } from '../engine/face/types.ts';
import { calibrationFor, compareEmbeddings } from '../engine/face/verify.ts';
import type { EngineHolder } from '../engine/face/engine-holder.ts';

/** Analysed photos kept for compare / whoIs: two per comparison, a few comparisons back. */
const KEPT_PHOTOS = 16;
/** Side (px) of the aligned crops shown side by side: the embedder's input size. */
const CROP_SIZE = 112;

interface KeptFace {
  box: Box;
  landmarks: FivePoints;
  score: number;
  embedding: Float32Array;
}

interface KeptPhoto {
  modelId: string;
  faces: KeptFace[];
}

export type VerifySource = { kind: 'upload'; name: string; data: string } | { kind: 'face'; faceId: number };

async function cropDataUrl(image: Awaited<ReturnType<typeof decodePhoto>>, landmarks: FivePoints): Promise<string> {
  const s = 1 / image.scaleToOriginal;
  const inDecoded = landmarks.map(([x, y]) => [x * s, y * s]) as FivePoints;
  const crop = alignFace(image, inDecoded, ARCFACE_TEMPLATE_112, CROP_SIZE);
  const bytes = Uint8Array.from(crop, (v) => Math.max(0, Math.min(255, Math.round(v))));
  const png = await sharp(bytes, { raw: { width: CROP_SIZE, height: CROP_SIZE, channels: 3 } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

export class VerifyService {
  private readonly kept = new Map<string, KeptPhoto>();

  constructor(
    private readonly catalog: Catalog,
    private readonly engine: EngineHolder,
    private readonly whoIs: (embedding: Float32Array, modelId: string) => Promise<Suggestion[]>,
  ) {}

  async analyse(source: VerifySource): Promise<VerifyPhoto> {
    return source.kind === 'upload' ? this.analyseUpload(source.name, source.data) : this.analyseLibraryFace(source.faceId);
  }

  compare(a: { photoKey: string; face: number }, b: { photoKey: string; face: number }): Verdict {
    const fa = this.face(a.photoKey, a.face);
    const fb = this.face(b.photoKey, b.face);
    if (fa.modelId !== fb.modelId) throw new ApiError('CONFLICT', `faces were embedded by different models (${fa.modelId}, ${fb.modelId}) and cannot be compared`);
    return { ...compareEmbeddings(fa.face.embedding, fb.face.embedding, calibrationFor(fa.modelId)), modelId: fa.modelId };
  }

  closestPeople(pick: { photoKey: string; face: number }): Promise<Suggestion[]> {
    const f = this.face(pick.photoKey, pick.face);
    return this.whoIs(f.face.embedding, f.modelId);
  }

  private face(photoKey: string, index: number): { face: KeptFace; modelId: string } {
    const photo = this.kept.get(photoKey);
    if (!photo) throw new ApiError('NOT_FOUND', 'that photo is no longer analysed; drop it again');
    const face = photo.faces[index];
    if (!face) throw new ApiError('NOT_FOUND', `the photo has no face #${index}`);
    return { face, modelId: photo.modelId };
  }

  private keep(photo: KeptPhoto): string {
    const key = randomBytes(12).toString('base64url');
    this.kept.set(key, photo);
    while (this.kept.size > KEPT_PHOTOS) this.kept.delete(this.kept.keys().next().value!);
    return key;
  }

  private async analyseUpload(name: string, data: string): Promise<VerifyPhoto> {
    const bytes = Buffer.from(data, 'base64');
    if (bytes.byteLength === 0) throw new ApiError('SCHEMA', 'the photo is empty (or not base64)');
    if (bytes.byteLength > API_LIMITS.uploadBytes) throw new ApiError('SCHEMA', `the photo is larger than ${API_LIMITS.uploadBytes} bytes`);
    const engine = await this.engine.get();
    try {
      // 'auto': a tight face crop (an avatar, a dataset image) still gets a face; a landscape gets none.
      const [analysis, image] = await Promise.all([engine.analysePhoto(bytes, { fallback: 'auto' }), decodePhoto(bytes)]);
      const faces = analysis.faces;
      const crops = await Promise.all(faces.map((f) => cropDataUrl(image, f.landmarks)));
      const photoKey = this.keep({ modelId: engine.modelId, faces: faces.map((f) => ({ box: f.box, landmarks: f.landmarks, score: f.score, embedding: f.embedding })) });
      return {
        photoKey,
        name,
        width: analysis.width,
        height: analysis.height,
        faces: faces.map((f, i) => ({ index: i, box: f.box, score: f.score, crop: crops[i] })),
        mainFace: mainFaceIndex(faces, analysis.width, analysis.height),
      };
    } catch (err) {
      if (err instanceof ImageError) throw new ApiError('SCHEMA', `${name}: ${err.message}`);
      throw err;
    }
  }

  private async analyseLibraryFace(faceId: number): Promise<VerifyPhoto> {
    const face = this.catalog.faces.get(faceId);
    const photo = face && this.catalog.photos.get(face.photoId);
    if (!face || !photo || photo.width === null || photo.height === null) throw new ApiError('NOT_FOUND', `face ${faceId} does not exist`);
    const image = await decodePhoto(photo.path).catch((err: Error) => {
      throw new ApiError('NOT_FOUND', `the photo of face ${faceId} cannot be read: ${err.message}`);
    });
    const photoKey = this.keep({ modelId: face.modelId, faces: [{ box: face.box, landmarks: face.landmarks, score: face.score, embedding: face.embedding }] });
    return {
      photoKey,
      name: photo.path,
      width: photo.width,
      height: photo.height,
      faces: [{ index: 0, box: face.box, score: face.score, crop: await cropDataUrl(image, face.landmarks) }],
      mainFace: 0,
    };
  }
}
