// npm run bench:people [-- --faces 100000] [--json]
// The product path of issue #4 at scale: a real SQLite catalog of N synthetic faces (seeded identities on the
// 320-d sphere, 10 faces each), a full re-cluster through the library's people service (which keeps the
// person index on disk), then 1,000 new faces (800 of known people, 200 strangers) inserted and assigned
// as a new process meets them (issue #16): the library opened afresh, its people service loading the person
// index from disk. The same faces are assigned once more on a copy of the catalog with no index file (every
// embedding read and the index rebuilt, the path before #16), and both paths' assignments compared; then a
// second 1,000 by another fresh service, which recomputes the people the first 1,000 joined. Times include
// SQLite; the cluster-module figures (bench:cluster) time the algorithms alone.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../main/engine/library/catalog/catalog.ts';
import { Library } from '../main/engine/library/library.ts';
import { normalDeviates, seededRandom } from '../main/engine/math/random.ts';
import type { AnalysedFace } from '../main/engine/face/types.ts';

const args = process.argv.slice(2);
const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const json = args.includes('--json');
const N = Number(flag('--faces') ?? 100_000);
const DIM = 320;
const MODEL = 'fused-mfn192-dlib128';
const identities = Math.max(2, Math.round(N / 10));

const dir = mkdtempSync(path.join(os.tmpdir(), 'fa-bench-people-'));
const dbFile = path.join(dir, 'catalog.db');
const rand = seededRandom(1);
const unit = (v: Float32Array) => { const n = Math.hypot(...v); return v.map((x) => x / n); };
const centres = Array.from({ length: identities + 200 }, () => unit(normalDeviates(DIM, rand)));
// The second run's strangers, from their own generator so the library and the first run stay as they were.
const laterRand = seededRandom(2);
centres.push(...Array.from({ length: 200 }, () => unit(normalDeviates(DIM, laterRand))));
// Noise 0.03 per dimension puts same-identity faces ~0.76 apart and different ones ~1.41: like real embeddings.
const face = (identity: number): AnalysedFace => {
  const noise = normalDeviates(DIM, rand, 0.03);
  return {
    box: { x: 0, y: 0, width: 100, height: 100 }, landmarks: [[30, 40], [70, 40], [50, 60], [35, 80], [65, 80]], score: 0.99, source: 'detector',
    embedding: unit(centres[identity].map((x, k) => x + noise[k])), modelId: MODEL, quality: { size: 100, sharpness: 100, frontal: 1 },
  };
};
const insert = (catalog: Catalog, prefix: string, i: number, identity: number) => catalog.photos.insertAnalysed(
  { rootId: null, path: `/${prefix}/${i}.jpg`, size: 1, mtimeMs: 1 },
  { contentHash: `${prefix}${i}`, width: 100, height: 100, orientation: 1, takenAt: null },
  { detectorId: 'mtcnn', modelId: MODEL, faces: [face(identity)] },
).faceIds;

const time = async <T>(fn: () => T | Promise<T>): Promise<[T, number]> => { const t0 = performance.now(); const r = await fn(); return [r, (performance.now() - t0) / 1000]; };

// The library: N faces, grouped from scratch; the re-cluster leaves the person index in <cache>/people.
const library = Library.open(dbFile);
if (library.modelId() !== MODEL) throw new Error(`the library's model is ${library.modelId()}, this benchmark's faces are ${MODEL}`);
const [, insertSeconds] = await time(() => library.catalog.transaction(() => { for (let i = 0; i < N; i++) insert(library.catalog, 'p', i, i % identities); }));
const reclusterCpuBefore = process.cpuUsage();
const [{ recluster, indexSeconds: reclusterIndexSeconds }, reclusterSeconds] = await time(async () => {
  const people = await library.people();
  return { recluster: people.recluster(), indexSeconds: people.personIndexRefresh()?.seconds ?? null };
});
const reclusterCpu = process.cpuUsage(reclusterCpuBefore);
await library.close();

/** An index run adds 1,000 faces (800 of known people, 200 of strangers); its people job is a new process (a worker thread in the app). */
function addRun(run: number): { faceIds: number[]; identity: number[] } {
  const catalog = new Catalog(dbFile);
  const identity = Array.from({ length: 1000 }, (_, i) => (i < 800 ? (i * 7 + run * 3) % identities : identities + run * 200 + (i % 200)));
  const faceIds: number[] = [];
  catalog.transaction(() => identity.forEach((who, i) => faceIds.push(...insert(catalog, `n${run}`, i, who))));
  catalog.close();
  return { faceIds, identity };
}

/** A fresh library and people service assign a run's faces; returns the time, the index's refresh and the faces' people. */
async function assignFresh(file: string, run: { faceIds: number[]; identity: number[] }, cacheDir?: string) {
  const lib = Library.open(file, cacheDir ? { cacheDir } : {});
  const [people, openSeconds] = await time(() => lib.people());
  const cpuBefore = process.cpuUsage();
  const [assigned, seconds] = await time(() => people.assignNew(run.faceIds));
  const cpu = process.cpuUsage(cpuBefore);
  const refresh = people.personIndexRefresh();
  const personOf = run.faceIds.map((id) => lib.catalog.people.assignment(id)?.personId ?? null);
  const correct = personOf.slice(0, 800).filter((p, i) => {
    const sameIdentityFace = lib.catalog.faces.ofPhoto(lib.catalog.photos.idByPath(`/p/${run.identity[i]}.jpg`)!)[0].id;
    return p !== null && p === lib.catalog.people.assignment(sameIdentityFace)?.personId;
  }).length;
  const strangersLeft = personOf.slice(800).filter((p) => p === null).length;
  await lib.close();
  return { assigned, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, openSeconds, refresh, personOf, knownCorrect: correct / 800, strangersLeftUnassigned: strangersLeft / 200 };
}

/** A fresh library and people service open the Unassigned page: 50 faces waiting, each with its suggestions. */
async function unassignedPageFresh(file: string, cacheDir?: string): Promise<{ seconds: number; faces: number }> {
  const lib = Library.open(file, cacheDir ? { cacheDir } : {});
  const [page, seconds] = await time(async () => (await lib.people()).unassigned({ limit: 50 }));
  await lib.close();
  return { seconds, faces: page.faces.filter((f) => f.suggestions.length > 0).length };
}

const first = addRun(0);
const rebuildFile = path.join(dir, 'rebuild.db');
copyFileSync(dbFile, rebuildFile);
// The product path first (the colder of the two runs in this process), then the rebuild on the copy.
const stored = await assignFresh(dbFile, first);
const rebuild = await assignFresh(rebuildFile, first, path.join(dir, 'empty-cache'));
const sameAssignments = stored.personOf.filter((p, i) => p === rebuild.personOf[i]).length / first.faceIds.length;
// The strangers of the first run wait unassigned: the page that shows them with suggestions, both ways.
const page = await unassignedPageFresh(dbFile);
const pageRebuild = await unassignedPageFresh(rebuildFile, path.join(dir, 'empty-cache-2'));
// The next run: its people job recomputes the people the first one changed (the file was kept as it was before them).
const next = await assignFresh(dbFile, addRun(1));
rmSync(dir, { recursive: true, force: true });

const result = {
  faces: N, people: recluster.people, dim: DIM, machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}`, loadAverage: os.loadavg()[0],
  insertSeconds, reclusterSeconds, reclusterCpuSeconds: (reclusterCpu.user + reclusterCpu.system) / 1e6, reclusterIndexSeconds,
  // CPU seconds of the process (every thread) beside the wall time: on a shared machine the steadier figure.
  assign1000Seconds: stored.seconds, assign1000CpuSeconds: stored.cpuSeconds, indexLoadSeconds: stored.refresh?.seconds ?? null, indexSource: stored.refresh?.source ?? null, openPeopleSeconds: stored.openSeconds,
  assignRebuild1000Seconds: rebuild.seconds, assignRebuild1000CpuSeconds: rebuild.cpuSeconds, rebuildIndexSeconds: rebuild.refresh?.seconds ?? null, rebuildIndexSource: rebuild.refresh?.source ?? null,
  speedup: rebuild.seconds / stored.seconds, sameAssignments,
  assigned: stored.assigned.assigned, knownCorrect: stored.knownCorrect, strangersLeftUnassigned: stored.strangersLeftUnassigned,
  unassignedPageSeconds: page.seconds, unassignedPageRebuildSeconds: pageRebuild.seconds, unassignedPageFacesWithSuggestions: page.faces,
  assignNext1000Seconds: next.seconds, assignNext1000CpuSeconds: next.cpuSeconds, nextIndexSeconds: next.refresh?.seconds ?? null,
  nextRecomputedPeople: next.refresh?.recomputed ?? null, nextKnownCorrect: next.knownCorrect, nextStrangersLeftUnassigned: next.strangersLeftUnassigned,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), // the work is synchronous: the OS high-water mark
};
console.log(`${N} faces, ${recluster.people} people: full re-cluster ${reclusterSeconds.toFixed(1)} s (CPU ${result.reclusterCpuSeconds.toFixed(1)} s), of which building the person index ${(reclusterIndexSeconds ?? NaN).toFixed(1)} s (kept on disk)`);
console.log(`1,000 new faces assigned by a fresh people service in ${stored.seconds.toFixed(2)} s (CPU ${stored.cpuSeconds.toFixed(2)} s), its person index loaded from disk in ${(result.indexLoadSeconds ?? NaN).toFixed(2)} s (${result.indexSource}); `
  + `${(100 * result.knownCorrect).toFixed(1)}% of known faces to their person, ${(100 * result.strangersLeftUnassigned).toFixed(1)}% of strangers left unassigned`);
console.log(`the same with no index file (every embedding read, the index rebuilt): ${rebuild.seconds.toFixed(2)} s (CPU ${rebuild.cpuSeconds.toFixed(2)} s, index ${(result.rebuildIndexSeconds ?? NaN).toFixed(2)} s), ${result.speedup.toFixed(1)}x; `
  + `${(100 * sameAssignments).toFixed(1)}% of the faces got the same person both ways; peak RSS ${result.peakRssMb} MB`);
console.log(`the Unassigned page (50 faces with their suggestions) opened by a fresh service: ${page.seconds.toFixed(2)} s, against ${pageRebuild.seconds.toFixed(2)} s with no index file`);
console.log(`the next 1,000 faces, by another fresh service: ${next.seconds.toFixed(2)} s (CPU ${next.cpuSeconds.toFixed(2)} s), the index loaded with ${result.nextRecomputedPeople} people recomputed in ${(result.nextIndexSeconds ?? NaN).toFixed(2)} s; `
  + `${(100 * next.knownCorrect).toFixed(1)}% of known faces to their person, ${(100 * next.strangersLeftUnassigned).toFixed(1)}% of strangers left unassigned`);
if (json) console.log(JSON.stringify(result));
