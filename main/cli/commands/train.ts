// Training commands: train (personalise the embedding on confirmed people), eval train.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CliError, pct, printJson, progressLine } from '../output.ts';
import { addEngineFlags, engineOptions, type EngineFlags } from './engine.ts';
import { addDbFlag, openCatalog, type DbFlags } from './library.ts';
import { catalogModel } from './people.ts';

interface TrainFlags {
  loss: 'triplet' | 'center';
  steps?: string;
  epochs?: string;
  seed: string;
  json?: boolean;
}

function addTrainFlags(cmd: Command): Command {
  return cmd
    .option('--loss <loss>', 'triplet (FaceNet, semi-hard mining) or center (softmax + center loss)', 'triplet')
    .option('--steps <n>', 'training steps (batches)')
    .option('--epochs <n>', 'passes over the training faces (converted to steps; --steps wins)')
    .option('--seed <n>', 'seed of the split, the sampler and the initial weights', '1');
}

function stepsFor(o: TrainFlags, faces: number, batch: number): number | undefined {
  if (o.steps) return Number(o.steps);
  if (o.epochs) return Math.max(1, Math.ceil((Number(o.epochs) * faces) / batch));
  return undefined;
}

function checkLoss(loss: string): asserts loss is 'triplet' | 'center' {
  if (loss !== 'triplet' && loss !== 'center') throw new CliError(`unknown loss "${loss}" (triplet or center)`);
}

export function registerTrainCommands(program: Command, evalCmd: Command): void {
  addTrainFlags(addDbFlag(program
    .command('train')
    .description('learn an adapter on the people you confirmed; adopted only if held-out accuracy improves')
    .option('--json', 'print one JSON object')))
    .action(async (o: DbFlags & TrainFlags) => {
      checkLoss(o.loss);
      const { catalog } = openCatalog(o);
      try {
        const { trainOnLibrary, confirmedFaces } = await import('../../engine/train/library.ts');
        const { TRAIN_DEFAULTS } = await import('../../engine/train/constants.ts');
        const modelId = catalogModel(catalog.db);
        const labelled = confirmedFaces(catalog, modelId).labels.filter(Boolean).length;
        const steps = stepsFor(o, labelled, TRAIN_DEFAULTS.peoplePerBatch * TRAIN_DEFAULTS.facesPerPerson);
        const bar = progressLine('training');
        const r = await trainOnLibrary(catalog, modelId, { loss: o.loss, seed: Number(o.seed), ...(steps ? { steps } : {}) }, {
          onProgress: (p) => bar(p.step, p.steps, `loss ${p.loss.toFixed(4)}`),
        });
        let regrouped = null;
        if (r.adopted) {
          const { openPeople } = await import('../../engine/people/open.ts');
          regrouped = (await openPeople(catalog, modelId)).recluster();
        }
        const h = r.report;
        if (o.json) return printJson({ ...r, regrouped });
        console.log(`${o.loss} adapter #${r.adapterId} on ${r.people} people / ${r.faces} confirmed faces in ${r.seconds.toFixed(1)} s`);
        console.log(`held-out verification ${pct(h.before.heldOut.verification)} -> ${pct(h.after.heldOut.verification)}, identification ${pct(h.before.heldOut.identification)} -> ${pct(h.after.heldOut.identification)}`);
        console.log(r.adopted ? `adopted; people re-grouped: ${JSON.stringify(regrouped)}` : `kept aside, not adopted: ${h.reasons.join('; ')}`);
      } finally {
        catalog.close();
      }
    });

  addTrainFlags(addEngineFlags(evalCmd
    .command('train')
    .description('split each identity (seeded) into train / held-out, train the adapter, report before and after')
    .requiredOption('--root <dir>', 'identity folders ROOT/<identity>/<image>')
    .option('--json', 'print one JSON object as the last line')))
    .action(async (o: EngineFlags & TrainFlags & { root: string }) => {
      checkLoss(o.loss);
      if (!existsSync(o.root)) throw new CliError(`root not found: ${o.root}`);
      const { createFaceEngine } = await import('../../engine/engine.ts');
      const { listIdentities } = await import('../../engine/eval/verify.ts');
      const { mainFaceIndex } = await import('../../engine/pipeline.ts');
      const { evalTrain } = await import('../../engine/train/evalTrain.ts');
      const { initBackend } = await import('../../engine/backend.ts');
      const engine = await createFaceEngine(engineOptions(o));
      try {
        const files = [...listIdentities(o.root)].flatMap(([name, fs]) => fs.map((f) => ({ name, file: path.join(o.root, name, f) })));
        const bar = progressLine('embedding');
        let done = 0;
        const embedded = await Promise.all(files.map(async ({ name, file }) => {
          const r = await engine.analyzePhoto(file, { fallback: 'centre' }).catch(() => null);
          bar(++done, files.length);
          const m = r ? mainFaceIndex(r.faces, r.width, r.height) : -1;
          return m >= 0 ? { name, v: r!.faces[m].embedding } : null;
        }));
        const ok = embedded.filter((e): e is { name: string; v: Float32Array } => e !== null);
        const dim = ok[0].v.length;
        const vectors = new Float32Array(ok.length * dim);
        ok.forEach((e, i) => vectors.set(e.v, i * dim));
        await initBackend();
        const steps = stepsFor(o, ok.length, 256);
        const r = await evalTrain({ vectors, dim, labels: ok.map((e) => e.name) }, { loss: o.loss, seed: Number(o.seed), embeddingModelId: engine.modelId, ...(steps ? { steps } : {}) });
        const err = (x: number) => 1 - x;
        const reduction = (b: number, a: number) => (err(b) > 0 ? (err(b) - err(a)) / err(b) : 0);
        console.log(`${o.loss} on ${engine.modelId}: ${ok.length} faces of ${new Set(ok.map((e) => e.name)).size} identities, ${r.steps} steps, ${r.seconds.toFixed(1)} s`);
        console.log(`held-out identification ${pct(r.before.identification)} -> ${pct(r.after.identification)} (error -${pct(reduction(r.before.identification, r.after.identification), 0)}), verification ${pct(r.before.verification)} -> ${pct(r.after.verification)} (error -${pct(reduction(r.before.verification, r.after.verification), 0)})`);
        if (r.untrained) console.log(`people not trained on: identification ${pct(r.untrained.before.identification)} -> ${pct(r.untrained.after.identification)}, verification ${pct(r.untrained.before.verification)} -> ${pct(r.untrained.after.verification)}`);
        console.log(r.adopted ? 'guardrail: adopted' : `guardrail: rejected (${r.reasons.join('; ')})`);
        if (o.json) printJson({ ...r, report: undefined, faces: ok.length, noFace: files.length - ok.length });
      } finally {
        await engine.close();
      }
    });
}
