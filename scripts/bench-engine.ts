// npm run bench:engine [-- --json] [--limit N] [--workers N] [--embedder mobilefacenet|dlib|fused] [--detector mtcnn|ssd]
// Photos per second and per-stage ms of our engine (worker pool, shrink-on-load, MTCNN + MobileFaceNet) and,
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
import { mainFaceIndex } from '../main/engine/face/pipeline.ts';
import { facesRoot } from '../test/helpers/data.ts';

const args = process.argv.slice(2);
const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const json = args.includes('--json');
const limit = Number(flag('--limit') ?? 0);
const workers = Number(flag('--workers') ?? os.availableParallelism());
const embedder = flag('--embedder') as 'mobilefacenet' | 'dlib' | 'fused' | undefined;
const detector = flag('--detector') as 'mtcnn' | 'ssd' | undefined;

const identities = listIdentities(facesRoot);
let photos = [...identities].flatMap(([name, files]) => files.map((f) => path.join(facesRoot, name, f)));
const groupsDir = path.join(facesRoot, 'groups');
photos.push(...readdirSync(groupsDir).filter((f) => /\.(jpe?g|png)$/i.test(f)).map((f) => path.join(groupsDir, f)));
if (limit > 0) photos = photos.filter((_, i) => i % Math.ceil(photos.length / limit) === 0);

type Main = Map<string, Float32Array>;
const peak = { rss: 0 };
const sampler = setInterval(() => { peak.rss = Math.max(peak.rss, process.memoryUsage().rss); }, 50);

async function runOurs(): Promise<{ seconds: number; faces: number; stages: Record<string, number>; main: Main }> {
  const engine = await createFaceEngine({ workers, embedder, detector });
  const main: Main = new Map();
  const stages = { decode: 0, detect: 0, embed: 0 };
  let faces = 0;
  const t0 = performance.now();
  await Promise.all(photos.map(async (file) => {
    const r = await engine.analysePhoto(file, { fallback: 'auto' });
    faces += r.faces.length;
    for (const k of Object.keys(stages) as (keyof typeof stages)[]) stages[k] += r.timings?.[k] ?? 0;
    const m = mainFaceIndex(r.faces, r.width, r.height);
    if (m >= 0) main.set(file, r.faces[m].embedding);
  }));
  const seconds = (performance.now() - t0) / 1000;
  await engine.close();
  return { seconds, faces, stages, main };
}

async function runBaseline(): Promise<{ seconds: number; faces: number; stages: Record<string, number>; main: Main }> {
  await initBackend();
  const api = loadFaceApi();
  for (const [net, file] of [['ssdMobilenetv1', 'ssd_mobilenetv1_model'], ['faceLandmark68Net', 'face_landmark_68_model'], ['faceRecognitionNet', 'face_recognition_model']]) loadFaceApiNet(net, file);
  const main: Main = new Map();
  const stages = { decode: 0, pipeline: 0 };
  let faces = 0;
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
  return { seconds: (performance.now() - t0) / 1000, faces, stages, main };
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
clearInterval(sampler);
const identityPhotos = photos.filter((p) => !p.startsWith(groupsDir)).length;
const result = {
  machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}`,
  photos: photos.length,
  ours: {
    photosPerSecond: photos.length / ours.seconds, seconds: ours.seconds, faces: ours.faces, workers,
    pipeline: `${detector ?? 'default detector'} + ${embedder ?? 'default embedder'}`,
    msPerPhotoPerStage: perStage(ours.stages), note: 'stage ms are summed across workers (CPU time per photo)',
    accuracy: identityPhotos === [...identities.values()].flat().length ? accuracy(ours.main) : null,
  },
  baseline: {
    pipeline: 'face-api detectAllFaces().withFaceLandmarks().withFaceDescriptors() on full-size tensors, 1 thread',
    photosPerSecond: photos.length / baseline.seconds, seconds: baseline.seconds, faces: baseline.faces,
    msPerPhotoPerStage: perStage(baseline.stages),
    accuracy: identityPhotos === [...identities.values()].flat().length ? accuracy(baseline.main) : null,
  },
  ratio: baseline.seconds / ours.seconds,
  peakRssMb: Math.round(peak.rss / 2 ** 20),
};
console.log(`photos: ${result.photos} (${result.machine})`);
console.log(`ours:     ${result.ours.photosPerSecond.toFixed(2)} photos/s, ${ours.faces} faces, stages ms/photo ${JSON.stringify(result.ours.msPerPhotoPerStage)}${result.ours.accuracy ? `, dev accuracy ${(result.ours.accuracy.mean * 100).toFixed(2)}%` : ''}`);
console.log(`baseline: ${result.baseline.photosPerSecond.toFixed(2)} photos/s, ${baseline.faces} faces, stages ms/photo ${JSON.stringify(result.baseline.msPerPhotoPerStage)}${result.baseline.accuracy ? `, dev accuracy ${(result.baseline.accuracy.mean * 100).toFixed(2)}%` : ''}`);
console.log(`ratio: ${result.ratio.toFixed(2)}x`);
if (json) console.log(JSON.stringify(result));
process.exit(0);
