// npm run bench:index [-- --json] [--files N] [--workers 1,2] [--no-thumbs]
// Index throughput of a whole library: scan, hash, analyse (worker pool), commit to SQLite and cut
// thumbnails, on a temporary library of the dev photos repeated to N files (default 500). Each copy
// gets a few distinct bytes after the image data, so every file is new content (duplicates by hash
// would be indexed once). Each worker count runs in its own process, so its peak RSS is its own.
// Also times the incremental re-run (nothing changed) that every later start pays.
import { spawnSync } from 'node:child_process';
import { copyFileSync, appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Catalog } from '../main/engine/library/catalog/catalog.ts';
import { createFaceEngine } from '../main/engine/face/engine.ts';
import { Indexer } from '../main/engine/library/indexer/indexer.ts';
import { isPhotoName } from '../main/engine/library/indexer/scan.ts';
import { ThumbnailCache } from '../main/engine/library/thumbs/thumbnail-cache.ts';
import { facesRoot, hasFaces, noFacesReason } from '../test/helpers/data.ts';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const json = args.includes('--json');
const withThumbs = !args.includes('--no-thumbs');

interface Measurement {
  workers: number;
  concurrency: number;
  files: number;
  photos: number;
  faces: number;
  failed: number;
  engineStartSeconds: number;
  seconds: number;
  photosPerSecond: number;
  rescanSeconds: number;
  peakRssMB: number;
  /** CPU seconds of the whole process (main thread, workers, libvips and ONNX Runtime threads) per photo indexed. */
  cpuSecondsPerPhoto: number;
}

/** One measurement in this process: `--one W --library DIR`. */
async function measureOne(workers: number, library: string): Promise<Measurement> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const work = mkdtempSync(path.join(os.tmpdir(), 'fa-bench-index-run-'));
  try {
    const t0 = performance.now();
    const engine = await createFaceEngine({ workers });
    const engineStartSeconds = (performance.now() - t0) / 1000;
    const catalog = new Catalog(path.join(work, 'catalog.db'));
    const thumbs = withThumbs ? new ThumbnailCache(catalog, path.join(work, 'cache')) : null;
    const concurrency = 2 * workers;
    const indexer = new Indexer({ catalog, analyser: engine, thumbs, concurrency });
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const run = await indexer.run([library]);
    const seconds = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(c1);
    const t2 = performance.now();
    const again = await indexer.run([library]);
    const rescanSeconds = (performance.now() - t2) / 1000;
    if (again.total !== 0) throw new Error(`the re-run found ${again.total} files to redo`);
    const stats = catalog.stats();
    catalog.close();
    await engine.close();
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      workers,
      concurrency,
      files: run.found,
      photos: stats.photos,
      faces: stats.faces,
      failed: stats.failed,
      engineStartSeconds,
      seconds,
      photosPerSecond: run.done / seconds,
      rescanSeconds,
      peakRssMB: peak / 2 ** 20,
      cpuSecondsPerPhoto: (cpu.user + cpu.system) / 1e6 / Math.max(1, run.done),
    };
  } finally {
    clearInterval(sampler);
    rmSync(work, { recursive: true, force: true });
  }
}

function devPhotos(): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(facesRoot, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const f of readdirSync(path.join(facesRoot, entry.name)).sort()) if (isPhotoName(f)) out.push(path.join(facesRoot, entry.name, f));
  }
  return out.sort();
}

/** The dev photos repeated to at least `n` files, copy k of each with k's own bytes after the image data. */
function buildLibrary(dir: string, n: number): number {
  const sources = devPhotos();
  let count = 0;
  for (let copy = 0; count < n; copy++) {
    const folder = path.join(dir, `copy-${copy}`);
    mkdirSync(folder, { recursive: true });
    for (const src of sources) {
      if (count >= n) break;
      const to = path.join(folder, `${path.basename(path.dirname(src))}-${path.basename(src)}`);
      copyFileSync(src, to);
      // Decoders stop at the image's end marker (JPEG EOI, PNG IEND); the bytes after only change the hash.
      if (copy > 0) appendFileSync(to, `\nface-atlas bench copy ${copy}\n`);
      count++;
    }
  }
  return count;
}

async function main(): Promise<void> {
  const one = flag('--one');
  if (one) {
    const m = await measureOne(Number(one), flag('--library')!);
    process.stdout.write(JSON.stringify(m) + '\n');
    return;
  }
  if (!hasFaces) {
    console.log(noFacesReason);
    if (json) console.log(JSON.stringify({ skipped: noFacesReason }));
    return;
  }
  const target = Number(flag('--files') ?? 500);
  const workerCounts = (flag('--workers') ?? '1,2').split(',').map(Number);
  const library = mkdtempSync(path.join(os.tmpdir(), 'fa-bench-index-lib-'));
  try {
    const files = buildLibrary(library, target);
    console.log(`library: ${files} files (dev photos from ${facesRoot}, repeated with distinct bytes), thumbnails ${withThumbs ? 'on' : 'off'}`);
    const results: Measurement[] = [];
    for (const w of workerCounts) {
      const self = fileURLToPath(import.meta.url);
      const childArgs = ['--import', 'tsx', self, '--one', String(w), '--library', library, ...(withThumbs ? [] : ['--no-thumbs'])];
      const child = spawnSync(process.execPath, childArgs, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      if (child.status !== 0) throw new Error(`measurement with ${w} workers failed: ${child.stderr.slice(-2000)}`);
      const m = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Measurement;
      results.push(m);
      console.log(
        `${w} worker(s), ${m.concurrency} in flight: ${m.photosPerSecond.toFixed(2)} photos/s (${m.files} files in ${m.seconds.toFixed(1)} s, ` +
          `${m.faces} faces, ${m.failed} failed), engine start ${m.engineStartSeconds.toFixed(1)} s, re-run with nothing changed ${m.rescanSeconds.toFixed(2)} s, ${(m.cpuSecondsPerPhoto * 1000).toFixed(0)} CPU ms per photo, peak RSS ${m.peakRssMB.toFixed(0)} MB`,
      );
    }
    const base = results.find((r) => r.workers === 1);
    const best = results.reduce((a, b) => (b.photosPerSecond > a.photosPerSecond ? b : a));
    const speedup = base ? best.photosPerSecond / base.photosPerSecond : null;
    if (speedup !== null) console.log(`speed-up ${best.workers} vs 1 worker: ${speedup.toFixed(2)}x on ${os.availableParallelism()} cores`);
    if (json) {
      console.log(
        JSON.stringify({
          files,
          thumbnails: withThumbs,
          cores: os.availableParallelism(),
          photosPerSecond: best.photosPerSecond,
          peakRssMB: best.peakRssMB,
          byWorkers: Object.fromEntries(results.map((r) => [r.workers, r])),
          speedup,
        }),
      );
    }
  } finally {
    rmSync(library, { recursive: true, force: true });
  }
}

await main();
