// Training commands: train (personalise the embedding on confirmed people), eval train.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { CliError, pct, printJson, progressLine } from '../output.ts';
import { addEngineFlags, engineOptions, type EngineFlags } from './engine.ts';
import { addDbFlag, libraryModelWithFaces, openLibrary, type DbFlags } from './library.ts';

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
      const lib = openLibrary(o);
      const { catalog } = lib;
      try {
        const { trainOnLibrary, confirmedFaces } = await import('../../engine/train/library.ts');
        const { TRAIN_DEFAULTS } = await import('../../engine/train/constants.ts');
        const modelId = libraryModelWithFaces(lib);
        const labelled = confirmedFaces(catalog, modelId).labels.filter(Boolean).length;
        const steps = stepsFor(o, labelled, TRAIN_DEFAULTS.peoplePerBatch * TRAIN_DEFAULTS.facesPerPerson);
        const bar = progressLine('training');
        const r = await trainOnLibrary(catalog, modelId, { loss: o.loss, seed: Number(o.seed), ...(steps ? { steps } : {}) }, {
          onProgress: (p) => bar(p.step, p.steps, `loss ${p.loss.toFixed(4)}`),
        });
        let regrouped = null;
        if (r.adopted) regrouped = await lib.runPeopleJob({ job: 'recluster' });
        const h = r.report;
        if (o.json) return printJson({ ...r, regrouped });
        console.log(`${o.loss} adapter #${r.adapterId} on ${r.people} people / ${r.faces} confirmed faces in ${r.seconds.toFixed(1)} s`);
        console.log(`held-out verification ${pct(h.before.heldOut.verification)} -> ${pct(h.after.heldOut.verification)}, identification ${pct(h.before.heldOut.identification)} -> ${pct(h.after.heldOut.identification)}`);
        console.log(r.adopted ? `adopted; people re-grouped: ${JSON.stringify(regrouped)}` : `kept aside, not adopted: ${h.reasons.join('; ')}`);
      } finally {
        await lib.close();
      }
    });

  addTrainFlags(addEngineFlags(evalCmd
    .command('train')
    .description('split each identity (seeded) into train / held-out, train the adapter, report before and after')
    .requiredOption('--root <dir>', 'identity folders ROOT/<identity>/<image>')
    .option('--end-to-end', 'train a small convolutional embedder from 64 px aligned crops with triplet loss instead of an adapter')
    .option('--json', 'print one JSON object as the last line')))
    .action(async (o: EngineFlags & TrainFlags & { root: string; endToEnd?: boolean }) => {
      checkLoss(o.loss);
      if (!existsSync(o.root)) throw new CliError(`root not found: ${o.root}`);
      if (o.endToEnd) return evalEndToEndCommand(o);
      const { createFaceEngine } = await import('../../engine/face/engine.ts');
      const { embedIdentityFolders } = await import('../../engine/eval/identity-embeddings.ts');
      const { evalTrain } = await import('../../engine/train/eval-train.ts');
      const { initBackend } = await import('../../engine/face/backend.ts');
      const engine = await createFaceEngine(engineOptions(o));
      try {
        const data = await embedIdentityFolders(engine, o.root, progressLine('embedding'));
        await initBackend();
        const steps = stepsFor(o, data.labels.length, 256);
        const r = await evalTrain(data, { loss: o.loss, seed: Number(o.seed), embeddingModelId: engine.modelId, ...(steps ? { steps } : {}) });
        const err = (x: number) => 1 - x;
        const reduction = (b: number, a: number) => (err(b) > 0 ? (err(b) - err(a)) / err(b) : 0);
        console.log(`${o.loss} on ${engine.modelId}: ${data.labels.length} faces of ${new Set(data.labels).size} identities, ${r.steps} steps, ${r.seconds.toFixed(1)} s`);
        console.log(`held-out identification ${pct(r.before.identification)} -> ${pct(r.after.identification)} (error -${pct(reduction(r.before.identification, r.after.identification), 0)}), verification ${pct(r.before.verification)} -> ${pct(r.after.verification)} (error -${pct(reduction(r.before.verification, r.after.verification), 0)})`);
        if (r.untrained) console.log(`people not trained on: identification ${pct(r.untrained.before.identification)} -> ${pct(r.untrained.after.identification)}, verification ${pct(r.untrained.before.verification)} -> ${pct(r.untrained.after.verification)}`);
        console.log(r.adopted ? 'guardrail: adopted' : `guardrail: rejected (${r.reasons.join('; ')})`);
        if (o.json) printJson({ ...r, report: undefined, faces: data.labels.length, noFace: data.skipped });
      } finally {
        await engine.close();
      }
    });
}

/** `eval train --end-to-end`: the convolutional embedder trained from aligned crops (FaceNet's whole pipeline, small). */
async function evalEndToEndCommand(o: EngineFlags & TrainFlags & { root: string }): Promise<void> {
  if (o.loss !== 'triplet') throw new CliError('--end-to-end trains with triplet loss only');
  const { createFaceEngine } = await import('../../engine/face/engine.ts');
  const { alignedIdentityCrops } = await import('../../engine/eval/identity-embeddings.ts');
  const { evalEndToEnd } = await import('../../engine/train/end-to-end.ts');
  const { initBackend } = await import('../../engine/face/backend.ts');
  const engine = await createFaceEngine(engineOptions(o));
  let crops;
  try {
    crops = await alignedIdentityCrops(engine, o.root, 64, progressLine('aligning'));
  } finally {
    await engine.close();
  }
  const backend = await initBackend();
  const bar = progressLine('training');
  const r = await evalEndToEnd(crops, { seed: Number(o.seed), ...(o.steps ? { steps: Number(o.steps) } : {}) }, { onProgress: (p) => bar(p.step, p.steps, `loss ${p.loss.toFixed(4)}`) });
  console.log(`end-to-end conv embedder on ${r.crops} aligned ${r.size}x${r.size} crops, ${r.steps} steps, ${r.seconds.toFixed(1)} s on ${backend.name}`);
  console.log(`held-out identification ${pct(r.before.identification)} -> ${pct(r.after.identification)}, verification ${pct(r.before.verification)} -> ${pct(r.after.verification)} (untrained network -> trained)`);
  if (r.untrained) console.log(`people not trained on: verification ${pct(r.untrained.before.verification)} -> ${pct(r.untrained.after.verification)}`);
  if (o.json) printJson({ ...r, loss: 'triplet', mode: 'end-to-end', backend: backend.name });
}
