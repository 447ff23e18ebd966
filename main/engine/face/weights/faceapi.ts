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
  const dir = faceApiModelDir();
  const manifest = JSON.parse(readFileSync(path.join(dir, `${file}-weights_manifest.json`), 'utf8')) as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  const specs = manifest.flatMap((g) => g.weights);
  const buffers = manifest.flatMap((g) => g.paths.map((p) => readFileSync(path.join(dir, p))));
  const bytes = Buffer.concat(buffers);
  const weightMap = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), specs);
  api.nets[net].loadFromWeightMap(weightMap);
  loaded.add(net);
  return api.nets[net];
}
