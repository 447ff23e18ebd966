// npm run bench:photos [-- --photos 100000] [--people 10000] [--star 20000] [--db FILE] [--json]
// Photos first at scale (issue #12): a real SQLite catalog of synthetic photos (1-4 faces each, dated over ten
// years, 70% with an EXIF date) and people, one "star" in --star photos and a "partner" with them in a tenth
// of those. Measured through the catalog's photo index: a person page's first paint query (date groups + the
// first page of 200) and a two-person AND query (the same for A and B together), median of 25 runs after a
// warm-up, on the star and on two mid-sized people; then the star's page in chromium over web mode, from
// navigation to the first photo tile (the UI's own calls, over the WebSocket). --db FILE keeps the synthetic
// catalog there and reuses it when it exists (building 100k photos takes minutes).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createAppApi } from '../main/api/app-api.ts';
import type { AnalysedFace } from '../main/engine/face/types.ts';
import { Catalog } from '../main/engine/library/catalog/catalog.ts';
import type { PhotoSource } from '../main/engine/library/catalog/photo-index.ts';
import { seededRandom } from '../main/engine/math/random.ts';
import { startWebServer } from '../main/server/web-server.ts';
import { dispatch } from '../shared/rpc.ts';
import { CHROMIUM_ARGS, chromiumPath, ensureRendererBuilt, hasChromium, rendererDir } from '../test/e2e/harness.ts';

const args = process.argv.slice(2);
const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const json = args.includes('--json');
const PHOTOS = Number(flag('--photos') ?? 100_000);
const PEOPLE = Number(flag('--people') ?? 10_000);
const STAR = Math.min(PHOTOS, Number(flag('--star') ?? 20_000));
const PAGE = 200;
const RUNS = 25;
const MODEL = 'bench-model';

const log = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);
const keep = flag('--db');
const reuse = !!keep && existsSync(keep);
const dir = keep ? path.dirname(path.resolve(keep)) : mkdtempSync(path.join(os.tmpdir(), 'fa-bench-photos-'));
const root = path.join(dir, 'photos');
mkdirSync(root, { recursive: true });
const dbFile = keep ? path.resolve(keep) : path.join(dir, 'catalog.db');
const catalog = new Catalog(dbFile);
catalog.roots.add(root);
const rand = seededRandom(12);

const face = (i: number): AnalysedFace => ({
  box: { x: 10 + 110 * i, y: 10, width: 100, height: 100 }, landmarks: [[30, 40], [70, 40], [50, 60], [35, 80], [65, 80]], score: 0.99, source: 'detector',
  embedding: new Float32Array([1, 0, 0, 0]), modelId: MODEL, quality: { size: 100, sharpness: 100, frontal: 1 },
});

// ------------------------------------------------------------------ the synthetic library
const t0 = performance.now();
const people = reuse ? catalog.people.all().map((p) => p.id) : catalog.transaction(() => Array.from({ length: PEOPLE }, (_, i) => catalog.people.create(i < PEOPLE / 2 ? `Person ${i + 1}` : null).id));
const [star, partner] = people;
// Everyone else is drawn with a Zipf-like weight, so some people have hundreds of photos and most a few.
const weights = people.map((_, i) => 1 / (i + 1) ** 0.8);
const cumulative: number[] = [];
weights.reduce((s, w, i) => (cumulative[i] = s + (i < 2 ? 0 : w)), 0);
const drawPerson = (): number => {
  const x = rand() * cumulative[cumulative.length - 1];
  let lo = 0, hi = cumulative.length - 1;
  while (lo < hi) { const m = (lo + hi) >> 1; if (cumulative[m] < x) lo = m + 1; else hi = m; }
  return people[lo];
};
const TEN_YEARS = 10 * 365 * 86_400_000;
const now = Date.UTC(2026, 0, 1);
const starPhotos = new Set<number>();
while (starPhotos.size < STAR) starPhotos.add(Math.floor(rand() * PHOTOS));
if (!reuse) catalog.transaction(() => {
  for (let i = 0; i < PHOTOS; i++) {
    const inPhoto = new Set<number>();
    if (starPhotos.has(i)) {
      inPhoto.add(star);
      if (rand() < 0.1) inPhoto.add(partner);
    }
    const n = 1 + Math.floor(rand() * 4);
    while (inPhoto.size < n) inPhoto.add(drawPerson());
    const date = now - Math.floor(rand() * TEN_YEARS);
    const exif = rand() < 0.7;
    const { faceIds } = catalog.photos.insertAnalysed(
      { rootId: null, path: path.join(root, `${Math.floor(i / 500)}`, `${i}.jpg`), size: 1, mtimeMs: exif ? now : date },
      { contentHash: `h${i}`, width: 4000, height: 3000, orientation: 1, takenAt: exif ? date : null },
      { detectorId: 'bench', modelId: MODEL, faces: [...inPhoto].map((_, k) => face(k)) },
    );
    [...inPhoto].forEach((person, k) => catalog.people.assign(faceIds[k], person, 'auto'));
  }
});
const buildSeconds = reuse ? 0 : (performance.now() - t0) / 1000;
const stats = catalog.stats();
log(`catalog: ${stats.photos.toLocaleString()} photos, ${stats.faces.toLocaleString()} faces, ${stats.people.toLocaleString()} people, ${reuse ? `reused from ${dbFile}` : `built in ${buildSeconds.toFixed(1)} s`}`);

// ------------------------------------------------------------------ the queries
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** What a photo list's first screen needs: its date groups and first page. */
function firstScreen(source: PhotoSource): { ms: number; best: number; total: number } {
  let total = 0;
  const run = () => { const t = performance.now(); total = catalog.photoIndex.timeline(source).total; catalog.photoIndex.page(source, 0, PAGE); return performance.now() - t; };
  run();
  const times = Array.from({ length: RUNS }, run);
  return { ms: median(times), best: Math.min(...times), total };
}
// Two people of middling size (rank ~50 and ~60 by weight): a typical AND query.
const mid = [people[50], people[60]];
const personPage = firstScreen({ kind: 'person', personId: star });
const personPageMid = firstScreen({ kind: 'person', personId: mid[0] });
const andQuery = firstScreen({ kind: 'together', personIds: [star, partner], only: false });
const andQueryMid = firstScreen({ kind: 'together', personIds: mid, only: false });
const onlyQuery = firstScreen({ kind: 'together', personIds: [star, partner], only: true });
const lastPage = (() => { const t = performance.now(); catalog.photoIndex.page({ kind: 'person', personId: star }, STAR - PAGE, PAGE); return performance.now() - t; })();
log(`load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores (medians; the best of ${RUNS} runs in brackets)`);
log(`person page (${personPage.total.toLocaleString()} photos: date groups + first ${PAGE}): ${personPage.ms.toFixed(2)} ms (${personPage.best.toFixed(2)}); a ${personPageMid.total}-photo person: ${personPageMid.ms.toFixed(2)} ms; last page (offset ${STAR - PAGE}): ${lastPage.toFixed(2)} ms`);
log(`A and B together (${andQuery.total.toLocaleString()} photos): ${andQuery.ms.toFixed(2)} ms (${andQuery.best.toFixed(2)}); "only these people" (${onlyQuery.total}): ${onlyQuery.ms.toFixed(2)} ms; two mid-sized people (${andQueryMid.total}): ${andQueryMid.ms.toFixed(2)} ms`);
catalog.close();

// ------------------------------------------------------------------ first paint in chromium
let firstPaintMs: number | null = null;
let personHeaderMs: number | null = null;
if (!hasChromium) log(`chromium not found at ${chromiumPath}: no first-paint figure`);
else {
  ensureRendererBuilt();
  const api = createAppApi({ dbFile, host: { mode: 'web', version: 'bench' } });
  const server = await startWebServer({ api, rendererDir });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  try {
    const paint = async (): Promise<number> => {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      // Time from navigation start to the first photo tile in the page.
      await page.addInitScript(() => {
        new MutationObserver((_m, obs) => {
          if (!document.querySelector('[data-photo-id]')) return;
          (window as unknown as { firstTile: number }).firstTile = performance.now();
          obs.disconnect();
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(`${server.url}#/people/${star}`);
      await page.waitForFunction(() => (window as unknown as { firstTile?: number }).firstTile !== undefined, undefined, { timeout: 120_000 });
      const ms = await page.evaluate(() => (window as unknown as { firstTile: number }).firstTile);
      const tiles = await page.locator('[data-photo-id]').count();
      await page.close();
      log(`  first tile after ${ms.toFixed(0)} ms (${tiles} tiles in the page)`);
      return ms;
    };
    await paint(); // warm: the server's caches and the browser's
    firstPaintMs = median([await paint(), await paint(), await paint()]);
    log(`first paint of a ${STAR.toLocaleString()}-photo person page in chromium: ${firstPaintMs.toFixed(0)} ms (median of 3 after a warm-up)`);
    // The page's header (name, cover, face count) comes from the people service, after the photos.
    const th = performance.now();
    await dispatch(api.handlers, 'people.faces', { personId: star, limit: 1 });
    personHeaderMs = performance.now() - th;
    log(`the person's header (people.faces through the people service): ${personHeaderMs.toFixed(0)} ms`);
  } finally {
    await browser.close();
    await server.close();
    await api.close();
  }
}
if (!keep) rmSync(dir, { recursive: true, force: true });

const result = {
  photos: stats.photos, faces: stats.faces, people: stats.people, personPhotos: personPage.total, pairPhotos: andQuery.total,
  personPageMs: +personPage.ms.toFixed(3), andQueryMs: +andQuery.ms.toFixed(3), personPageBestMs: +personPage.best.toFixed(3), andQueryBestMs: +andQuery.best.toFixed(3), onlyQueryMs: +onlyQuery.ms.toFixed(3),
  midPersonPageMs: +personPageMid.ms.toFixed(3), midAndQueryMs: +andQueryMid.ms.toFixed(3), lastPageMs: +lastPage.toFixed(3),
  firstPaintMs: firstPaintMs === null ? null : Math.round(firstPaintMs), personHeaderMs: personHeaderMs === null ? null : Math.round(personHeaderMs), buildSeconds: +buildSeconds.toFixed(1),
  machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}`, loadAverage: +os.loadavg()[0].toFixed(1),
};
if (json) console.log(JSON.stringify(result));
