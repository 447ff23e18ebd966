// Training speed: adapter steps per second at batch 256 on synthetic 192-d embeddings (triplet vs center),
// and end-to-end conv steps on 64x64 crops, on the wasm and cpu backends. Each backend runs in its own child
// process (FACE_ATLAS_BACKEND), so they never share a tfjs instance.
// Usage: npm run bench:train [-- --json] [--steps N]
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const json = args.includes('--json');
const child = args.includes('--child');
const stepsArg = args.indexOf('--steps');
const requestedSteps = stepsArg >= 0 ? Number(args[stepsArg + 1]) : undefined;

const DIM = 192;
const PEOPLE_PER_BATCH = 32;
const FACES_PER_PERSON = 8;
const BATCH = PEOPLE_PER_BATCH * FACES_PER_PERSON;
const WARMUP_STEPS = 3;
const CONV_SIZE = 64;

interface Speed {
  stepsPerSecond: number;
  msPerStep: number;
  steps: number;
  batch: number;
}

interface BackendFigures {
  backend: string;
  triplet: Speed;
  center: Speed;
  conv: Speed & { inputSize: number };
  peakRssMB: number;
  maxRssMB: number;
}

/** Steps per second between the end of the warm-up steps and the last step, from progress timestamps. */
function speedOf(stamps: number[], batch: number, warmup = WARMUP_STEPS): Speed {
  const timed = stamps.slice(warmup - 1);
  const seconds = (timed[timed.length - 1] - timed[0]) / 1000;
  const steps = timed.length - 1;
  return { stepsPerSecond: steps / seconds, msPerStep: (seconds * 1000) / steps, steps, batch };
}

async function runChild(): Promise<void> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const { initBackend } = await import('../main/engine/face/backend.ts');
  const { syntheticCrops, syntheticEmbeddings } = await import('../main/engine/train/synthetic.ts');
  const { trainAdapter } = await import('../main/engine/train/train-adapter.ts');
  const { trainConvEmbedder } = await import('../main/engine/train/conv-embedder.ts');
  const info = await initBackend();
  const fast = info.name !== 'cpu';
  const data = syntheticEmbeddings({ people: 96, facesPerPerson: 12, dim: DIM, identityDims: 32, seed: 1 });
  const adapterSteps = requestedSteps ?? (fast ? 40 : 10);
  const figures: Partial<BackendFigures> = { backend: info.name };
  for (const loss of ['triplet', 'center'] as const) {
    const stamps: number[] = [];
    await trainAdapter(
      data,
      { loss, steps: adapterSteps + WARMUP_STEPS, peoplePerBatch: PEOPLE_PER_BATCH, facesPerPerson: FACES_PER_PERSON, extraNegatives: 0, seed: 1 },
      { onProgress: () => stamps.push(performance.now()) },
    );
    figures[loss] = speedOf(stamps, BATCH);
  }
  const crops = syntheticCrops({ people: 8, imagesPerPerson: 6, size: CONV_SIZE, seed: 1 });
  const convStamps: number[] = [];
  // On cpu one conv step takes tens of seconds: one warm-up step and one timed step.
  const convWarmup = fast ? WARMUP_STEPS : 1;
  await trainConvEmbedder(
    { pixels: crops.pixels, size: CONV_SIZE, labels: crops.labels },
    { steps: (fast ? 8 : 1) + convWarmup, peoplePerBatch: 8, facesPerPerson: 4, seed: 1 },
    { onProgress: () => convStamps.push(performance.now()) },
  );
  figures.conv = { ...speedOf(convStamps, 32, convWarmup), inputSize: CONV_SIZE };
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  figures.peakRssMB = peakRss / 2 ** 20;
  figures.maxRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(figures));
}

function runParent(): void {
  const script = fileURLToPath(import.meta.url);
  const results: Record<string, BackendFigures | { error: string }> = {};
  for (const backend of ['wasm', 'cpu']) {
    const childArgs = ['--import', 'tsx', script, '--child', ...(requestedSteps ? ['--steps', String(requestedSteps)] : [])];
    const run = spawnSync(process.execPath, childArgs, { env: { ...process.env, FACE_ATLAS_BACKEND: backend }, encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
    const last = run.stdout.trim().split('\n').pop() ?? '';
    try {
      const figures = JSON.parse(last) as BackendFigures;
      results[backend] = figures;
      if (figures.backend !== backend) throw new Error(`asked for ${backend}, ran on ${figures.backend}`);
      console.log(
        `${backend}: triplet ${figures.triplet.stepsPerSecond.toFixed(1)} steps/s (${figures.triplet.msPerStep.toFixed(1)} ms), ` +
          `center ${figures.center.stepsPerSecond.toFixed(1)} steps/s (${figures.center.msPerStep.toFixed(1)} ms) at batch ${BATCH} x ${DIM}-d; ` +
          `conv ${CONV_SIZE}x${CONV_SIZE} batch 32: ${figures.conv.stepsPerSecond.toFixed(2)} steps/s; peak RSS ${figures.peakRssMB.toFixed(0)} MB`,
      );
    } catch (err) {
      results[backend] = { error: `${(err as Error).message}; stderr: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}` };
      console.log(`${backend}: failed: ${(results[backend] as { error: string }).error}`);
    }
  }
  const wasm = results.wasm as BackendFigures;
  const cpu = results.cpu as BackendFigures;
  const ratio =
    wasm?.triplet && cpu?.triplet
      ? {
          tripletWasmOverCpu: wasm.triplet.stepsPerSecond / cpu.triplet.stepsPerSecond,
          centerWasmOverCpu: wasm.center.stepsPerSecond / cpu.center.stepsPerSecond,
          convWasmOverCpu: wasm.conv.stepsPerSecond / cpu.conv.stepsPerSecond,
        }
      : null;
  if (ratio) console.log(`wasm / cpu: triplet ${ratio.tripletWasmOverCpu.toFixed(1)}x, center ${ratio.centerWasmOverCpu.toFixed(1)}x, conv ${ratio.convWasmOverCpu.toFixed(1)}x`);
  const summary = {
    batch: BATCH,
    dim: DIM,
    ...results,
    ratio,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
  };
  if (json) console.log(JSON.stringify(summary));
}

if (child) await runChild();
else runParent();
