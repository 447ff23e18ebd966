// ONNX Runtime against the tfjs path on real dev photos: each network's outputs (our ONNX export of the same
// weights) within 1e-4 of the tfjs runner's on the same inputs, whole-photo embeddings at cosine >= 0.9999,
// the same faces found, and the exported graphs cached by the weights' hash.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../main/engine/face/backend.ts';
import { analysePhotoFile } from '../../main/engine/face/analyse.ts';
import { alignFace, ARCFACE_TEMPLATE_112 } from '../../main/engine/face/align.ts';
import { decodePhoto } from '../../main/engine/face/decode.ts';
import type { FaceDetector } from '../../main/engine/face/detect/detector.ts';
import { dlibChipTemplate, dlibNetSource } from '../../main/engine/face/embed/dlib.ts';
import type { AnyEmbedder } from '../../main/engine/face/embed/fused.ts';
import { createDetector, createEmbedder } from '../../main/engine/face/models.ts';
import { configureNets, loadNet, netReports, type Net, type NetSource } from '../../main/engine/face/nets.ts';
import { cachedOnnx } from '../../main/engine/face/onnx/cache.ts';
import { findFaces } from '../../main/engine/face/pipeline.ts';
import { tfliteNetSource } from '../../main/engine/face/tflite/net.ts';
import { expoAsset } from '../../main/engine/face/weights/files.ts';
import type { DetectedFace } from '../../main/engine/face/types.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'fa-onnx-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** Loads the same network on tfjs and on ONNX Runtime. */
async function bothWays(source: NetSource): Promise<{ tfjs: Net; onnx: Net }> {
  configureNets({ onnx: false, cacheDir, threads: 1 });
  const tfjs = await loadNet(source);
  configureNets({ onnx: true });
  const onnx = await loadNet(source);
  return { tfjs, onnx };
}

async function expectSameOutputs(nets: { tfjs: Net; onnx: Net }, input: Float32Array, shape: number[]): Promise<number> {
  expect(nets.tfjs.backend).not.toBe('onnxruntime');
  expect(nets.onnx.backend).toBe('onnxruntime');
  const a = await nets.tfjs.run(input, shape);
  const b = await nets.onnx.run(input, shape);
  expect(b.map((o) => o.shape)).toEqual(a.map((o) => o.shape));
  let worst = 0;
  a.forEach((o, k) => o.data.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - b[k].data[i])); }));
  expect(worst).toBeLessThan(1e-4);
  return worst;
}

const PHOTOS = ['groups/bbt4.jpg', 'groups/kit_with_rose.jpg', 'Amy_Adams/Amy_Adams_0001.jpg'];

describe.skipIf(!hasFaces)(`ONNX Runtime parity with tfjs${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  let faces: { image: Awaited<ReturnType<typeof decodePhoto>>; faces: DetectedFace[] }[];

  beforeAll(async () => {
    await initBackend();
    configureNets({ onnx: false, cacheDir, threads: 1 });
    const detector = await createDetector('mtcnn');
    faces = [];
    for (const rel of PHOTOS) {
      const image = await decodePhoto(face(rel));
      faces.push({ image, faces: await findFaces(detector, image) });
    }
    detector.dispose();
    expect(faces.reduce((s, p) => s + p.faces.length, 0)).toBeGreaterThanOrEqual(8);
  });

  /** (x - 127.5) / 128 crops of the found faces at `size`, NHWC (the MTCNN and MobileFaceNet input scaling). */
  function faceCrops(size: number, template = ARCFACE_TEMPLATE_112): { data: Float32Array; n: number } {
    const crops = faces.flatMap((p) => p.faces.map((f) => alignFace(p.image, f.landmarks, template.map(([x, y]) => [x * size / 112, y * size / 112]) as typeof template, size)));
    const data = new Float32Array(crops.length * size * size * 3);
    crops.forEach((c, i) => c.forEach((v, k) => { data[i * size * size * 3 + k] = (v - 127.5) / 128; }));
    return { data, n: crops.length };
  }

  it('P-Net: the same score and box maps on a real photo shrunk as the pyramid does', async () => {
    const nets = await bothWays(tfliteNetSource('pnet', expoAsset('pnet.tflite')));
    const { image } = faces[0];
    const input = tf.tidy(() => {
      const img = tf.cast(tf.tensor3d(image.data, [image.height, image.width, 3], 'int32'), 'float32') as tf.Tensor3D;
      const small = tf.image.resizeBilinear(img, [Math.ceil(image.height * 0.3), Math.ceil(image.width * 0.3)]);
      return tf.transpose(tf.mul(tf.sub(small, 127.5), 0.0078125), [1, 0, 2]).expandDims(0);
    });
    await expectSameOutputs(nets, input.dataSync() as Float32Array, input.shape);
    input.dispose();
  });

  it('R-Net and O-Net: the same scores, boxes and landmarks on crops of real faces', async () => {
    for (const [id, size] of [['rnet', 24], ['onet', 48]] as const) {
      const { data, n } = faceCrops(size);
      await expectSameOutputs(await bothWays(tfliteNetSource(id, expoAsset(`${id}.tflite`))), data, [n, size, size, 3]);
    }
  });

  it('MobileFaceNet: the same 192-d outputs for a batch of real aligned faces', async () => {
    const { data, n } = faceCrops(112);
    await expectSameOutputs(await bothWays(tfliteNetSource('mobilefacenet', expoAsset('MobileFaceNet.tflite'))), data, [n, 112, 112, 3]);
  });

  it('dlib ResNet: the same 128-d outputs as face-api for a batch of real 150 px chips', async () => {
    const template = dlibChipTemplate(150);
    const crops = faces.flatMap((p) => p.faces.map((f) => alignFace(p.image, f.landmarks, template, 150)));
    const data = new Float32Array(crops.length * 150 * 150 * 3);
    crops.forEach((c, i) => data.set(c, i * 150 * 150 * 3));
    await expectSameOutputs(await bothWays(dlibNetSource()), data, [crops.length, 150, 150, 3]);
  });

  it('whole photos through MTCNN + the fused embedder: the same faces, embeddings at cosine >= 0.9999', async () => {
    const engines: { detector: FaceDetector; embedder: AnyEmbedder }[] = [];
    for (const onnx of [false, true]) {
      configureNets({ onnx, cacheDir, threads: 1 });
      engines.push({ detector: await createDetector('mtcnn'), embedder: await createEmbedder('fused') });
    }
    expect(netReports().map((r) => r.backend)).toEqual(['onnxruntime', 'onnxruntime', 'onnxruntime', 'onnxruntime', 'onnxruntime']);
    let compared = 0;
    for (const rel of PHOTOS) {
      const [a, b] = await Promise.all(engines.map((e) => analysePhotoFile(face(rel), e.detector, e.embedder)));
      expect(b.faces).toHaveLength(a.faces.length);
      a.faces.forEach((fa, i) => {
        const fb = b.faces[i];
        expect(Math.abs(fb.box.x - fa.box.x) + Math.abs(fb.box.y - fa.box.y)).toBeLessThan(0.5);
        let dot = 0;
        fa.embedding.forEach((v, k) => { dot += v * fb.embedding[k]; });
        expect(dot).toBeGreaterThanOrEqual(0.9999);
        compared++;
      });
    }
    expect(compared).toBeGreaterThanOrEqual(8);
    engines.forEach((e) => { e.detector.dispose(); e.embedder.dispose(); });
  });
});

describe('the ONNX graph cache', () => {
  it('exports once per weights, reads the same graph back, and keys a changed weight file to a new graph', () => {
    const dir = mkdtempSync(path.join(cacheDir, 'cache-'));
    const source = tfliteNetSource('onet', expoAsset('onet.tflite'));
    let exports = 0;
    const exportGraph = () => { exports++; return source.toOnnx(); };
    const first = cachedOnnx(dir, 'onet', source.weights(), exportGraph);
    const second = cachedOnnx(dir, 'onet', source.weights(), exportGraph);
    expect([first.fromCache, second.fromCache, exports]).toEqual([false, true, 1]);
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    const changed = Uint8Array.from(source.weights());
    changed[changed.length - 1] ^= 1;
    writeFileSync(path.join(dir, 'onnx', 'rnet-0123456789abcdef.onnx'), 'another net');
    const third = cachedOnnx(dir, 'onet', changed, exportGraph);
    expect(third.fromCache).toBe(false);
    expect(third.file).not.toBe(first.file);
    expect(exports).toBe(2);
    // The graph of the older weights is gone; other nets' graphs stay.
    expect(readdirSync(path.join(dir, 'onnx')).sort()).toEqual([path.basename(third.file), 'rnet-0123456789abcdef.onnx'].sort());
  });
});
