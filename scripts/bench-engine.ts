// npm run bench:engine [-- --json] [--limit N] [--workers N] [--threads N] [--backend onnxruntime|wasm|...]
//                       [--embedder mobilefacenet|dlib|fused] [--detector mtcnn|ssd]
// Photos per second and per-stage ms of our engine (worker pool, shrink-on-load, MTCNN + fused embedder, networks
// on ONNX Runtime) and, then per-face ms of each embedding network on each backend (ONNX Runtime and tfjs), and
// in the same process on the same photos, of the plain face-api pipeline on full-size tensors
// (detectAllFaces().withFaceLandmarks().withFaceDescriptors()), with both pipelines' dev-set verification
// accuracy (10-fold, identity pairs) from the main face of each identity photo.
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { initBackend, tf } from '../main/engine/face/backend.ts';
import { l2Distance } from '../main/engine/math/vectors.ts';
import { createFaceEngine } from '../main/engine/face/engine.ts';
import { crossValidate, identityPairs, listIdentities } from '../main/engine/eval/verify.ts';
import { loadFaceApi, loadFaceApiNet } from '../main/engine/face/weights/faceapi.ts';
import { facesRoot } from '../test/helpers/data.ts';
import { alignFace } from '../main/engine/face/align.ts';
import { decodePhoto } from '../main/engine/face/decode.ts';
import type { Embedder } from '../main/engine/face/embed/embedder.ts';
import { isFused } from '../main/engine/face/embed/fused.ts';
import { createDetector, createEmbedder } from '../main/engine/face/models.ts';
import { configureNets, type NetBackend } from '../main/engine/face/nets.ts';
import { embedFaces, findFaces, mainFaceIndex } from '../main/engine/face/pipeline.ts';
import { ENGINE_DEFAULTS } from '../shared/settings.ts';
import type { DetectedFace } from '../main/engine/face/types.ts';

const args = process.argv.slice(2);
const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const json = args.includes('--json');
const limit = Number(flag('--limit') ?? 0);
const workers = Number(flag('--workers') ?? os.availableParallelism());
const embedder = flag('--embedder') as 'mobilefacenet' | 'dlib' | 'fused' | undefined;
const detector = flag('--detector') as 'mtcnn' | 'ssd' | undefined;
const threadsPerWorker = Number(flag('--threads') ?? 0);
const backend = flag('--backend') as NetBackend | undefined;

const identities = listIdentities(facesRoot);
let photos = [...identities].flatMap(([name, files]) => files.map((f) => path.join(facesRoot, name, f)));
const groupsDir = path.join(facesRoot, 'groups');
photos.push(...readdirSync(groupsDir).filter((f) => /\.(jpe?g|png)$/i.test(f)).map((f) => path.join(groupsDir, f)));
if (limit > 0) photos = photos.filter((_, i) => i % Math.ceil(photos.length / limit) === 0);

type Main = Map<string, Float32Array>;
const peak = { rss: 0 };
const sampler = setInterval(() => { peak.rss = Math.max(peak.rss, process.memoryUsage().rss); }, 50);

/** CPU seconds of this process (all its threads) since `c0`: on a machine shared with other work, a fairer cost than wall time. */
function cpuSince(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

async function runOurs(): Promise<{ seconds: number; cpuSeconds: number; faces: number; stages: Record<string, number>; main: Main; backend: string; threads: number }> {
  const engine = await createFaceEngine({ workers, embedder, detector, backend, threadsPerWorker });
  const nets = engine.backend.nets ?? [];
  const runtime = [...new Set(nets.map((n) => n.backend))].join('+') || engine.backend.name;
  const main: Main = new Map();
  const stages = { decode: 0, detect: 0, embed: 0 };
  let faces = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(photos.map(async (file) => {
    const r = await engine.analysePhoto(file, { fallback: 'auto' });
    faces += r.faces.length;
    for (const k of Object.keys(stages) as (keyof typeof stages)[]) stages[k] += r.timings?.[k] ?? 0;
    const m = mainFaceIndex(r.faces, r.width, r.height);
    if (m >= 0) main.set(file, r.faces[m].embedding);
  }));
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(c0);
  await engine.close();
  return { seconds, cpuSeconds, faces, stages, main, backend: runtime, threads: engine.threadsPerWorker };
}

async function runBaseline(): Promise<{ seconds: number; cpuSeconds: number; faces: number; stages: Record<string, number>; main: Main }> {
  await initBackend();
  const api = loadFaceApi();
  for (const [net, file] of [['ssdMobilenetv1', 'ssd_mobilenetv1_model'], ['faceLandmark68Net', 'face_landmark_68_model'], ['faceRecognitionNet', 'face_recognition_model']]) loadFaceApiNet(net, file);
  const main: Main = new Map();
  const stages = { decode: 0, pipeline: 0 };
  let faces = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const file of photos) {
    const d0 = performance.now();
    const { data, info } = await sharp(file).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const input = tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
    const d1 = performance.now();
    const results = await api.detectAllFaces(input).withFaceLandmarks().withFaceDescriptors();
    input.dispose();
    stages.decode += d1 - d0;
    stages.pipeline += performance.now() - d1;
    faces += results.length;
    // The plain rule: the largest detected face.
    const best = results.sort((a: any, b: any) => b.detection.box.area - a.detection.box.area)[0];
    if (best) main.set(file, Float32Array.from(best.descriptor));
  }
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSince(c0), faces, stages, main };
}

/**
 * In this thread, one photo at a time (one intra-op thread): CPU ms per photo of each stage, and CPU ms per face
 * of each embedding network on each backend (each photo's faces as one batch, as the engine does). CPU time,
 * not wall time: this machine's other work inflates wall time by whatever share of the cores it takes.
 */
async function profile(): Promise<{ stagesCpuMs: Record<string, number>; embedCpuMsPerFace: Record<string, Record<string, number>>; embedCpuMsPerFaceByBatch: Record<string, Record<string, number>> }> {
  await initBackend();
  const tfjsName = tf.getBackend();
  const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
  configureNets({ onnx: true, threads: 1 });
  const det = await createDetector('mtcnn');
  const emb = await createEmbedder('fused');
  const stages = { decode: 0, detect: 0, embed: 0 };
  const photosFaces: { image: Awaited<ReturnType<typeof decodePhoto>>; faces: DetectedFace[] }[] = [];
  await findFaces(det, await decodePhoto(photos[0]));
  for (const file of photos) {
    const t0 = cpuMs();
    const image = await decodePhoto(file);
    const t1 = cpuMs();
    const faces = await findFaces(det, image, { minScore: ENGINE_DEFAULTS.minFaceScore });
    const t2 = cpuMs();
    await embedFaces(image, faces, emb, ENGINE_DEFAULTS.flipAverage);
    stages.decode += t1 - t0;
    stages.detect += t2 - t1;
    stages.embed += cpuMs() - t2;
    if (faces.length) photosFaces.push({ image, faces });
  }
  det.dispose();
  emb.dispose();
  const out: Record<string, Record<string, number>> = {};
  // Batching across photos: CPU ms per face on ONNX Runtime when the same aligned faces go through in batches of 1..16.
  const byBatch: Record<string, Record<string, number>> = {};
  for (const onnx of [true, false]) {
    configureNets({ onnx, threads: 1 });
    const fused = await createEmbedder('fused');
    const parts: Embedder[] = isFused(fused) ? fused.parts.map((p) => p.embedder) : [fused];
    for (const e of parts) {
      const batches = photosFaces.slice(0, 40).map((p) => p.faces.map((f) => alignFace(p.image, f.landmarks, e.template, e.inputSize)));
      await e.embed(batches[0]);
      const t0 = cpuMs();
      let n = 0;
      for (const b of batches) { await e.embed(b); n += b.length; }
      (out[e.modelId] ??= {})[onnx ? 'onnxruntime' : tfjsName] = +((cpuMs() - t0) / n).toFixed(2);
      if (!onnx) continue;
      const crops = photosFaces.flatMap((p) => p.faces.map((f) => alignFace(p.image, f.landmarks, e.template, e.inputSize))).slice(0, 64);
      for (const size of [1, 2, 4, 8, 16]) {
        const t1 = cpuMs();
        for (let i = 0; i < crops.length; i += size) await e.embed(crops.slice(i, i + size));
        (byBatch[e.modelId] ??= {})[String(size)] = +((cpuMs() - t1) / crops.length).toFixed(2);
      }
    }
    fused.dispose();
  }
  return { stagesCpuMs: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, +(v / photos.length).toFixed(1)])), embedCpuMsPerFace: out, embedCpuMsPerFaceByBatch: byBatch };
}

function accuracy(main: Main) {
  const pairs = identityPairs(identities, 10, 1);
  const d: number[] = [], s: boolean[] = [], f: number[] = [];
  let missing = 0;
  for (const p of pairs) {
    const a = main.get(path.join(facesRoot, p.a.name, String(p.a.image)));
    const b = main.get(path.join(facesRoot, p.b.name, String(p.b.image)));
    if (!a || !b) missing++;
    // A pair whose face was not found is answered wrongly, whatever the threshold (NaN: see crossValidate).
    d.push(a && b ? l2Distance(a, b) : NaN);
    s.push(p.same);
    f.push(p.fold);
  }
  const r = crossValidate(d, s, f, 10);
  return { mean: r.accuracy.mean, std: r.accuracy.std, auc: r.auc, pairsMissingAFace: missing, pairs: pairs.length };
}

const perStage = (stages: Record<string, number>) => Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, +(v / photos.length).toFixed(1)]));
const ours = await runOurs();
const baseline = await runBaseline();
const profiled = await profile();
clearInterval(sampler);
const identityPhotos = photos.filter((p) => !p.startsWith(groupsDir)).length;
const result = {
  machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}`,
  photos: photos.length,
  ours: {
    photosPerSecond: photos.length / ours.seconds, seconds: ours.seconds, cpuMsPerPhoto: +(ours.cpuSeconds * 1000 / photos.length).toFixed(1), faces: ours.faces, workers,
    pipeline: `${detector ?? 'default detector'} + ${embedder ?? 'default embedder'}`,
    backend: ours.backend, threadsPerWorker: ours.threads,
    msPerPhotoPerStage: perStage(ours.stages), note: 'stage ms: wall time inside each worker, summed over workers',
    accuracy: identityPhotos === [...identities.values()].flat().length ? accuracy(ours.main) : null,
  },
  baseline: {
    pipeline: 'face-api detectAllFaces().withFaceLandmarks().withFaceDescriptors() on full-size tensors, 1 thread',
    photosPerSecond: photos.length / baseline.seconds, seconds: baseline.seconds, cpuMsPerPhoto: +(baseline.cpuSeconds * 1000 / photos.length).toFixed(1), faces: baseline.faces,
    msPerPhotoPerStage: perStage(baseline.stages),
    accuracy: identityPhotos === [...identities.values()].flat().length ? accuracy(baseline.main) : null,
  },
  ratio: baseline.seconds / ours.seconds,
  /** The same ratio in CPU time: what each pipeline costs, whatever share of the cores the machine's other work left it. */
  cpuRatio: baseline.cpuSeconds / ours.cpuSeconds,
  /** One thread, one photo at a time: CPU ms per photo of each stage (ONNX Runtime), and per face of each embedding network on each backend. */
  cpuMsPerPhotoPerStage: profiled.stagesCpuMs,
  embedCpuMsPerFace: profiled.embedCpuMsPerFace,
  /** ONNX Runtime, one thread: CPU ms per face when up to 64 faces go through in batches of each size (batching across photos). */
  embedCpuMsPerFaceByBatch: profiled.embedCpuMsPerFaceByBatch,
  peakRssMb: Math.round(peak.rss / 2 ** 20),
};
console.log(`photos: ${result.photos} (${result.machine})`);
console.log(`ours:     ${result.ours.photosPerSecond.toFixed(2)} photos/s, ${ours.faces} faces, stages ms/photo ${JSON.stringify(result.ours.msPerPhotoPerStage)}${result.ours.accuracy ? `, dev accuracy ${(result.ours.accuracy.mean * 100).toFixed(2)}%` : ''}`);
console.log(`baseline: ${result.baseline.photosPerSecond.toFixed(2)} photos/s, ${baseline.faces} faces, stages ms/photo ${JSON.stringify(result.baseline.msPerPhotoPerStage)}${result.baseline.accuracy ? `, dev accuracy ${(result.baseline.accuracy.mean * 100).toFixed(2)}%` : ''}`);
console.log(`ratio: ${result.ratio.toFixed(2)}x in photos/s, ${result.cpuRatio.toFixed(2)}x in CPU time per photo (ours ${result.ours.cpuMsPerPhoto} ms, baseline ${result.baseline.cpuMsPerPhoto} ms)`);
console.log(`one thread, CPU ms per photo: ${JSON.stringify(profiled.stagesCpuMs)}`);
for (const [net, ms] of Object.entries(profiled.embedCpuMsPerFace)) console.log(`${net} CPU ms per face: ${Object.entries(ms).map(([b, v]) => `${b} ${v}`).join(', ')}`);
for (const [net, ms] of Object.entries(profiled.embedCpuMsPerFaceByBatch)) console.log(`${net} on onnxruntime, CPU ms per face by batch size: ${Object.entries(ms).map(([b, v]) => `${b}: ${v}`).join(', ')}`);
if (json) console.log(JSON.stringify(result));
process.exit(0);
