// Engine commands: doctor, detect, verify, eval verify.
import type { Command } from 'commander';
import os from 'node:os';
import { existsSync } from 'node:fs';
import { ENGINE_DEFAULTS } from '../../../shared/settings.ts';
import { createFaceEngine, type FaceEngineOptions } from '../../engine/face/engine.ts';
import { MODEL_INFO, type DetectorId, type EmbedderId } from '../../engine/face/models.ts';
import { mainFaceIndex } from '../../engine/face/pipeline.ts';
import { calibrationFor, compareEmbeddings } from '../../engine/face/verify.ts';
import { CliError, pct, printJson, progressLine } from '../output.ts';

export interface EngineFlags {
  detector?: DetectorId;
  embedder?: EmbedderId;
  workers?: string;
  flip?: boolean;
  minFace?: string;
}

/** Engine flags; on a library command (`saved`) an absent --detector / --embedder means the library's saved setting. */
export function addEngineFlags(cmd: Command, { saved = false } = {}): Command {
  const from = (d: string): string | undefined => (saved ? undefined : d);
  const said = (): string => (saved ? ' (default: the library\'s saved setting; a new value is saved)' : '');
  return cmd
    .option('--detector <id>', `face detector: mtcnn or ssd${said()}`, from(ENGINE_DEFAULTS.detector))
    .option('--embedder <id>', `embedding model: mobilefacenet, dlib or fused${said()}`, from(ENGINE_DEFAULTS.embedder))
    .option('--workers <n>', 'inference worker threads (default: one per core)')
    .option('--flip', 'average each embedding with its mirror image')
    .option('--min-face <px>', 'smallest face side to detect, in pixels of the shrunk image');
}

export function engineOptions(f: EngineFlags): FaceEngineOptions {
  if (f.detector && !(f.detector in MODEL_INFO)) throw new CliError(`unknown detector "${f.detector}" (mtcnn or ssd)`);
  if (f.embedder && !(f.embedder in MODEL_INFO)) throw new CliError(`unknown embedder "${f.embedder}" (mobilefacenet or dlib)`);
  return {
    detector: f.detector,
    embedder: f.embedder,
    workers: f.workers ? Number(f.workers) : undefined,
    analyse: {
      ...(f.flip !== undefined ? { flip: f.flip } : {}),
      ...(f.minFace ? { minFaceSize: Number(f.minFace) } : {}),
    },
  };
}

function requireFile(file: string): void {
  if (!existsSync(file)) throw new CliError(`file not found: ${file}`);
}

export function registerEngineCommands(program: Command): void {
  program
    .command('doctor')
    .description('print where each network runs (ONNX Runtime or a tfjs backend) and why, threads, workers and every model file')
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      const { engineDoctor } = await import('../../engine/face/doctor.ts');
      const workers = ENGINE_DEFAULTS.workers || os.availableParallelism();
      // One worker tells where the networks run; threads are reported as the default pool would get them.
      const engine = await createFaceEngine({ workers: 1, threadsPerWorker: Math.max(1, Math.floor(os.availableParallelism() / workers)) });
      const report = { ...engineDoctor(engine), workers,
        defaults: { detector: ENGINE_DEFAULTS.detector, embedder: ENGINE_DEFAULTS.embedder, flip: ENGINE_DEFAULTS.flipAverage } };
      await engine.close();
      if (o.json) return printJson(report);
      console.log(`node ${report.node} on ${report.platform}, ${report.cpus} cores`);
      console.log(`networks on: ${report.backend}, ${report.threadsPerWorker} thread(s) per worker, ${report.workers} workers`);
      for (const n of report.networks) console.log(`  ${n.net}: ${n.backend} (${n.reason})`);
      console.log(`tfjs backend (glue ops, training): ${report.tfjsBackend}${report.simd ? ' (SIMD)' : ''}`);
      for (const t of report.backendsTried) console.log(`  tried ${t.name}: ${t.error ?? 'ok'}`);
      console.log(`defaults: ${report.defaults.detector} + ${report.defaults.embedder}${report.defaults.flip ? ' (flip-averaged)' : ''} -> ${report.modelId}`);
      for (const m of report.models) {
        console.log(`${m.present ? 'ok ' : 'MISSING'} ${m.kind} ${m.id}: ${m.dim ? `${m.dim}-d, ` : ''}${m.files.join(', ')}`);
      }
    });

  addEngineFlags(program
    .command('detect <image>')
    .description('detect faces: boxes, five landmarks and scores in original-image coordinates')
    .option('--json', 'print one JSON object'))
    .action(async (image: string, o: EngineFlags & { json?: boolean }) => {
      requireFile(image);
      const engine = await createFaceEngine({ ...engineOptions(o), workers: 1 });
      try {
        const r = await engine.analysePhoto(image, { fallback: 'auto' });
        const faces = r.faces.map(({ embedding, ...f }) => ({ ...f, embeddingDim: embedding.length }));
        if (o.json) return printJson({ file: image, width: r.width, height: r.height, orientation: r.orientation, detector: r.detectorId, faces });
        console.log(`${image}: ${r.width}x${r.height}, ${faces.length} face(s)`);
        faces.forEach((f, i) => console.log(`  #${i} box ${[f.box.x, f.box.y, f.box.width, f.box.height].map((v) => v.toFixed(0)).join(',')} score ${f.score.toFixed(3)} (${f.source})`));
      } finally {
        await engine.close();
      }
    });

  addEngineFlags(program
    .command('verify <imageA> <imageB>')
    .description('same person? distance, threshold, verdict and calibrated probability for the main faces')
    .option('--face-a <i>', 'face index in image A (default: main face)')
    .option('--face-b <i>', 'face index in image B (default: main face)')
    .option('--json', 'print one JSON object'))
    .action(async (a: string, b: string, o: EngineFlags & { json?: boolean; faceA?: string; faceB?: string }) => {
      requireFile(a);
      requireFile(b);
      const engine = await createFaceEngine({ ...engineOptions(o), workers: 2 });
      try {
        const [ra, rb] = await Promise.all([engine.analysePhoto(a, { fallback: 'centre' }), engine.analysePhoto(b, { fallback: 'centre' })]);
        const pick = (r: typeof ra, idx: string | undefined, file: string) => {
          const i = idx !== undefined ? Number(idx) : mainFaceIndex(r.faces, r.width, r.height);
          if (!r.faces[i]) throw new CliError(`${file}: no face #${idx} (found ${r.faces.length})`);
          return r.faces[i];
        };
        const fa = pick(ra, o.faceA, a);
        const fb = pick(rb, o.faceB, b);
        const verdict = compareEmbeddings(fa.embedding, fb.embedding, calibrationFor(engine.modelId));
        const result = { ...verdict, modelId: engine.modelId, a: { file: a, faces: ra.faces.length, box: fa.box, source: fa.source }, b: { file: b, faces: rb.faces.length, box: fb.box, source: fb.source } };
        if (o.json) return printJson(result);
        console.log(`${verdict.same ? 'SAME person' : 'DIFFERENT people'}: distance ${verdict.distance.toFixed(3)} (threshold ${verdict.threshold.toFixed(3)}), P(same) = ${pct(verdict.probability, 1)}`);
      } finally {
        await engine.close();
      }
    });
}

export function registerEvalVerify(evalCmd: Command): void {
  addEngineFlags(evalCmd
    .command('verify')
    .description('LFW protocol: 10-fold accuracy (threshold chosen on the other folds), AUC, no-face handling')
    .requiredOption('--root <dir>', 'image root: ROOT/Name/Name_0001.jpg (LFW) or identity folders')
    .option('--pairs <file>', 'LFW pairs file; without it: all same-identity pairs + as many seeded different ones')
    .option('--folds <n>', 'evaluate only the first N folds (N >= 2)')
    .option('--seed <n>', 'seed for the different-identity pairs', '1')
    .option('--json', 'print one JSON object as the last line'))
    .action(async (o: EngineFlags & { root: string; pairs?: string; folds?: string; seed: string; json?: boolean }) => {
      if (!existsSync(o.root)) throw new CliError(`root not found: ${o.root}`);
      const { loadPairs, runVerifyEval } = await import('../../engine/eval/run-verify.ts');
      const evalOptions = {
        root: o.root, pairsFile: o.pairs, folds: o.folds ? Number(o.folds) : undefined, seed: Number(o.seed),
        onProgress: progressLine('embedding'),
      };
      const loaded = loadPairs(evalOptions);
      const engine = await createFaceEngine(engineOptions(o));
      try {
        const report = await runVerifyEval(engine, evalOptions, loaded);
        console.log(`${report.modelId} + ${report.detectorId}: accuracy ${pct(report.accuracy.mean)} +- ${pct(report.accuracy.std)} over ${report.folds} folds, AUC ${report.auc.toFixed(4)}, ${report.pairs} pairs, ${report.images} images`);
        console.log(`no face detected in ${report.noFace} image(s); handled by: ${JSON.stringify(report.fallbacks)} (${report.noFaceHandling})`);
        if (report.unreadable.length) console.log(`unreadable: ${report.unreadable.length} (counted as wrong)`);
        console.log(`threshold ${report.calibration.threshold.toFixed(3)}, Platt a=${report.calibration.a.toFixed(3)} b=${report.calibration.b.toFixed(3)}, ${report.seconds.toFixed(1)} s`);
        if (o.json) printJson(report);
      } finally {
        await engine.close();
      }
    });
}
