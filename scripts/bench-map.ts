// Benchmark of the embedding map: time, peak RSS and neighbour identity of UMAP and t-SNE on synthetic face libraries.
//   npm run bench:map -- [--sizes 1000,10000,50000] [--methods umap,tsne] [--max-fit N] [--json]
// Each case runs in its own child process (so peak RSS is that case's alone) through projectInWorker,
// while the child's main thread samples process RSS. Where a library exceeds maxFit the mode says how
// the faces left out of the fit were placed; sampled UMAP runs with both placements.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MAX_FIT } from '../main/engine/map/constants.ts';
import { neighbourIdentity } from '../main/engine/map/faithfulness.ts';
import { fitSize, placementFor, projectInWorker, type Placement, type ProjectionMethod } from '../main/engine/map/projector.ts';
import { syntheticFaces } from '../main/engine/math/synthetic.ts';

const DIM = 192;
/** Faces per synthetic identity: above neighbourIdentity's k = 10, so a perfect map can score 1. */
const FACES_PER_IDENTITY = 20;
/** Noise norm per face: same-identity cosine ~0.31, different ~0 +- 0.07; a clean library, but identities crowd as n grows. */
const SPREAD = 1.5;
/** Above this many faces neighbourIdentity is estimated from this many seeded query faces. */
const IDENTITY_SAMPLE = 5000;
const RSS_SAMPLE_MS = 20;

interface CaseResult {
  size: number;
  method: ProjectionMethod;
  mode: 'whole' | `sample+${Placement}`;
  fitted: number;
  seconds: number;
  peakRssMB: number;
  neighbourIdentity: number;
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function library(size: number) {
  return syntheticFaces({ n: size, sizes: FACES_PER_IDENTITY, dim: DIM, noise: SPREAD ** 2, sharedDirection: 0, seed: 42 });
}

function identityOptions(size: number) {
  return size > IDENTITY_SAMPLE ? { sampleSize: IDENTITY_SAMPLE, seed: 1 } : {};
}

/** Child process: one projection, its wall time and the process's sampled RSS high-water mark. */
async function runCase(size: number, method: ProjectionMethod, placement: Placement, maxFit: number | undefined): Promise<void> {
  const faces = library(size);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, RSS_SAMPLE_MS);
  const started = performance.now();
  const map = await projectInWorker(faces.vectors, faces.n, faces.dim, {
    method,
    seed: 1,
    maxFit,
    groups: faces.identity,
    umapPlacement: placement,
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const fitted = fitSize(size, method, maxFit);
  const result: CaseResult = {
    size,
    method,
    mode: fitted >= size ? 'whole' : `sample+${placement}`,
    fitted,
    seconds: Number(seconds.toFixed(2)),
    peakRssMB: Math.round(peak / 2 ** 20),
    neighbourIdentity: Number(neighbourIdentity(map, 2, faces.identity, 10, identityOptions(size)).toFixed(4)),
  };
  console.log(JSON.stringify(result));
}

function childCase(size: number, method: ProjectionMethod, placement: Placement, maxFit: number | undefined): CaseResult {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--case', `${size},${method},${placement}`];
  if (maxFit !== undefined) args.push('--max-fit', String(maxFit));
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`bench case ${size} ${method} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as CaseResult;
}

async function main(): Promise<void> {
  const maxFitArgument = argument('max-fit');
  const maxFit = maxFitArgument === undefined ? undefined : Number(maxFitArgument);
  const single = argument('case');
  if (single) {
    const [size, method, placement] = single.split(',');
    await runCase(Number(size), method as ProjectionMethod, placement as Placement, maxFit);
    return;
  }
  const json = process.argv.includes('--json');
  const sizes = (argument('sizes') ?? '1000,10000,50000').split(',').map(Number);
  const methods = (argument('methods') ?? 'umap,tsne').split(',') as ProjectionMethod[];
  console.log(`map benchmark: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`);
  console.log(`synthetic faces: ${DIM}-d unit vectors, ${FACES_PER_IDENTITY} per identity, spread ${SPREAD}; maxFit ${maxFit ?? JSON.stringify(MAX_FIT)}`);
  const results: CaseResult[] = [];
  const original: Record<string, number> = {};
  for (const size of sizes) {
    const faces = library(size);
    original[size] = Number(neighbourIdentity(faces.vectors, DIM, faces.identity, 10, identityOptions(size)).toFixed(4));
    console.log(`${size} faces: neighbourIdentity in the ${DIM}-d space ${original[size]}`);
    for (const method of methods) {
      // A sampled UMAP map runs with both placements, the default first, so the two can be compared.
      const placements = [placementFor({ method })];
      if (method === 'umap' && fitSize(size, method, maxFit) < size) {
        placements.push(placements[0] === 'transform' ? 'neighbour-median' : 'transform');
      }
      for (const placement of placements) {
        const result = childCase(size, method, placement, maxFit);
        results.push(result);
        console.log(
          `  ${method.padEnd(4)} ${result.mode.padEnd(23)} fitted ${String(result.fitted).padStart(6)}  ` +
            `${result.seconds.toFixed(1).padStart(7)} s  peak RSS ${String(result.peakRssMB).padStart(5)} MB  ` +
            `neighbourIdentity ${result.neighbourIdentity}`,
        );
      }
    }
  }
  if (json) {
    console.log(
      JSON.stringify({
        machine: { cpus: os.cpus().length, node: process.version },
        maxFit: maxFit ?? MAX_FIT,
        identitySampleAbove: IDENTITY_SAMPLE,
        original,
        results,
      }),
    );
  }
}

await main();
