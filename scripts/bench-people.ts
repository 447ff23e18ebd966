// npm run bench:people [-- --faces 100000] [--json]
// The product path of issue #4 at scale: a real SQLite catalog of N synthetic faces (seeded identities on the
// 320-d sphere, 10 faces each), a full re-cluster through PeopleService, then 1,000 new faces (800 of known
// people, 200 strangers) assigned incrementally. Times include reading embeddings from SQLite and building
// the person index; the cluster-module figures (bench:cluster) time the algorithms alone.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../main/engine/library/catalog/catalog.ts';
import { PeopleService } from '../main/engine/people/service.ts';
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
const catalog = new Catalog(path.join(dir, 'catalog.db'));
const rand = seededRandom(1);
const unit = (v: Float32Array) => { const n = Math.hypot(...v); return v.map((x) => x / n); };
const centres = Array.from({ length: identities + 200 }, () => unit(normalDeviates(DIM, rand)));
// Noise 0.03 per dimension puts same-identity faces ~0.76 apart and different ones ~1.41: like real embeddings.
const face = (identity: number): AnalysedFace => {
  const noise = normalDeviates(DIM, rand, 0.03);
  return {
    box: { x: 0, y: 0, width: 100, height: 100 }, landmarks: [[30, 40], [70, 40], [50, 60], [35, 80], [65, 80]], score: 0.99, source: 'detector',
    embedding: unit(centres[identity].map((x, k) => x + noise[k])), modelId: MODEL, quality: { size: 100, sharpness: 100, frontal: 1 },
  };
};
const insert = (prefix: string, i: number, identity: number) => catalog.photos.insertAnalysed(
  { rootId: null, path: `/${prefix}/${i}.jpg`, size: 1, mtimeMs: 1 },
  { contentHash: `${prefix}${i}`, width: 100, height: 100, orientation: 1, takenAt: null },
  { detectorId: 'mtcnn', modelId: MODEL, faces: [face(identity)] },
).faceIds;

const time = <T>(fn: () => T): [T, number] => { const t0 = performance.now(); const r = fn(); return [r, (performance.now() - t0) / 1000]; };
const [, insertSeconds] = time(() => catalog.transaction(() => { for (let i = 0; i < N; i++) insert('p', i, i % identities); }));
const people = new PeopleService(catalog, { modelId: MODEL });
const [recluster, reclusterSeconds] = time(() => people.recluster());
const newFaces: number[] = [];
catalog.transaction(() => { for (let i = 0; i < 1000; i++) newFaces.push(...insert('n', i, i < 800 ? (i * 7) % identities : identities + (i % 200))); });
const [assigned, assignSeconds] = time(() => people.assignNew(newFaces));
const correct = newFaces.slice(0, 800).filter((id, i) => {
  const p = catalog.people.assignment(id)?.personId;
  const sameIdentityFace = catalog.faces.ofPhoto(catalog.photos.idByPath(`/p/${(i * 7) % identities}.jpg`)!)[0].id;
  return p !== undefined && p === catalog.people.assignment(sameIdentityFace)?.personId;
}).length;
const strangersLeft = newFaces.slice(800).filter((id) => !catalog.people.assignment(id)).length;
catalog.close();
rmSync(dir, { recursive: true, force: true });

const result = {
  faces: N, people: recluster.people, dim: DIM, machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}`,
  insertSeconds, reclusterSeconds, assign1000Seconds: assignSeconds, assigned: assigned.assigned,
  knownCorrect: correct / 800, strangersLeftUnassigned: strangersLeft / 200, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), // the work is synchronous: the OS high-water mark
};
console.log(`${N} faces, ${recluster.people} people: full re-cluster ${reclusterSeconds.toFixed(1)} s; 1,000 new faces assigned in ${assignSeconds.toFixed(2)} s (${(100 * result.knownCorrect).toFixed(1)}% of known faces to their person, ${(100 * result.strangersLeftUnassigned).toFixed(1)}% of strangers left unassigned); peak RSS ${result.peakRssMb} MB`);
if (json) console.log(JSON.stringify(result));
