// Loads @vladmandic/face-api (its CommonJS wasm build, which shares our CommonJS tfjs instance) and its
// weights straight from node_modules: manifest JSON + .bin decoded with tf.io, no fetch, no canvas.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { tf } from '../backend.ts';
import { faceApiModelDir } from './files.ts';

const require = createRequire(import.meta.url);

export type FaceApi = any;

let faceapi: FaceApi | null = null;
const loaded = new Set<string>();

export function loadFaceApi(): FaceApi {
  faceapi ??= require('@vladmandic/face-api/dist/face-api.node-wasm.js');
  return faceapi;
}

/** Loads one face-api net (e.g. 'ssdMobilenetv1' from 'ssd_mobilenetv1_model') once per thread. */
export function loadFaceApiNet(net: string, file: string): FaceApi {
  const api = loadFaceApi();
  if (loaded.has(net)) return api.nets[net];
  api.nets[net].loadFromWeightMap(decodeFaceApiWeights(readFaceApiWeights(file)));
  loaded.add(net);
  return api.nets[net];
}

export interface FaceApiWeightFiles {
  specs: tf.io.WeightsManifestEntry[];
  /** The .bin shards concatenated: what the exporters hash. */
  bytes: Buffer;
}

/** The manifest entries and weight bytes of one face-api model (e.g. 'face_recognition_model'). */
export function readFaceApiWeights(file: string): FaceApiWeightFiles {
  const dir = faceApiModelDir();
  const manifest = JSON.parse(readFileSync(path.join(dir, `${file}-weights_manifest.json`), 'utf8')) as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  const buffers = manifest.flatMap((g) => g.paths.map((p) => readFileSync(path.join(dir, p))));
  return { specs: manifest.flatMap((g) => g.weights), bytes: Buffer.concat(buffers) };
}

/** Named tensors (dequantised where the manifest says so); the caller owns them. */
export function decodeFaceApiWeights({ specs, bytes }: FaceApiWeightFiles): tf.NamedTensorMap {
  return tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, specs);
}
