// Benchmark of the Map view at scale, in a real browser: a synthetic library served in web mode and driven in
// Chromium (Debian's, launched as the e2e tests launch it: headless, --disable-gpu, so WebGL runs on
// SwiftShader, the CPU).
//   npm run bench:map-ui -- [--faces 100000] [--seconds 5] [--keep DIR] [--json]
// (--keep DIR: build the catalog and its cached map in DIR once and re-use them on later runs.)
// The catalog holds N synthetic 320-d faces (20 an identity, 60% of identities grouped into people, one in
// ten of those named), spread over the dev photos as face boxes, so zoomed-in faces stream real thumbnails
// (crops of the dev photos) from the thumbnail cache. The projection is computed once through the API and
// cached; then, in Chromium:
//   firstFrameMs  from switching to the Map view to its first drawn frame (header + pages + decode + upload)
//   frameMs       median / p95 interval between animation frames while the mouse pans and zooms for 5 s
//                 (zoom in to thumbnails, drag, zoom out), driven through real input events
//   idleFrameMs   the same interval on the idle page for a second before: what this browser manages at all
//   drawMs        median / p95 main-thread time of the map's draw function in those frames
//   pageMb        the page's JS heap plus typed-array backing stores (DevTools Performance.getMetrics, Runtime.getHeapUsage)
//                 after the interaction; the WebGL atlas and buffers live in the GPU process and are not in it
// Screenshots at three zoom levels (fitted, where dots turn into faces, closest) go to test-artifacts/bench-map-ui/.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { chromium } from 'playwright-core';
import { createAppApi } from '../main/api/app-api.ts';
import { Catalog } from '../main/engine/library/catalog/catalog.ts';
import type { FivePoints } from '../main/engine/face/types.ts';
import { syntheticFaces } from '../main/engine/math/synthetic.ts';
import { seededRandom } from '../main/engine/math/random.ts';
import { startWebServer } from '../main/server/web-server.ts';
import { dispatch } from '../shared/rpc.ts';
import { facesRoot } from '../test/helpers/data.ts';
import { CHROMIUM_ARGS, chromiumPath, ensureRendererBuilt, rendererDir, repoRoot } from '../test/e2e/harness.ts';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const json = args.includes('--json');
const N = Number(flag('faces') ?? 100_000);
/** The projection the Map view opens with. */
const METHOD = 'umap';
const SECONDS = Number(flag('seconds') ?? 5);
const MODEL = 'fused-mfn192-dlib128';
const DIM = 320;
const FACES_PER_IDENTITY = 20;
const shotsDir = path.join(repoRoot, 'test-artifacts', 'bench-map-ui');

const quantile = (values: number[], q: number): number => {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function devPhotos(): Promise<{ path: string; width: number; height: number }[]> {
  const out: { path: string; width: number; height: number }[] = [];
  for (const identity of readdirSync(facesRoot, { withFileTypes: true })) {
    if (!identity.isDirectory()) continue;
    for (const file of readdirSync(path.join(facesRoot, identity.name))) {
      if (!/\.(jpe?g|png)$/i.test(file)) continue;
      const p = path.join(facesRoot, identity.name, file);
      const meta = await sharp(p).metadata();
      if (meta.width && meta.height) out.push({ path: p, width: meta.width, height: meta.height });
    }
  }
  if (!out.length) throw new Error(`no dev photos under ${facesRoot}: the thumbnails need them`);
  return out;
}

/** The synthetic catalog: N faces on the dev photos, people for 60% of the identities. */
async function buildCatalog(dbFile: string): Promise<{ people: number; insertSeconds: number }> {
  const started = performance.now();
  const photos = await devPhotos();
  const faces = syntheticFaces({ n: N, sizes: FACES_PER_IDENTITY, dim: DIM, noise: 1.5 ** 2, sharedDirection: 0, seed: 42 });
  const rand = seededRandom(7);
  const catalog = new Catalog(dbFile);
  const faceIdsOf = new Map<number, number[]>();
  catalog.transaction(() => {
    const perPhoto = Math.ceil(N / photos.length);
    for (let p = 0; p < photos.length && p * perPhoto < N; p++) {
      const photo = photos[p];
      const rows = Array.from({ length: Math.min(perPhoto, N - p * perPhoto) }, (_, k) => p * perPhoto + k);
      const side = Math.min(photo.width, photo.height);
      const { faceIds } = catalog.photos.insertAnalysed(
        { rootId: null, path: photo.path, size: 1, mtimeMs: 1 },
        { contentHash: `bench-map-ui-${p}`, width: photo.width, height: photo.height, orientation: 1, takenAt: Date.UTC(2020, 0, 1) + p * 86_400_000 },
        {
          detectorId: 'mtcnn', modelId: MODEL, faces: rows.map((row) => {
            const size = side * (0.25 + 0.3 * rand());
            return {
              box: { x: rand() * (photo.width - size), y: rand() * (photo.height - size), width: size, height: size },
              landmarks: [[30, 40], [70, 40], [50, 60], [35, 80], [65, 80]] as FivePoints, score: 0.99, source: 'detector' as const,
              embedding: faces.vectors.slice(row * DIM, (row + 1) * DIM), modelId: MODEL, quality: { size, sharpness: 100, frontal: 1 },
            };
          }),
        },
      );
      rows.forEach((row, k) => {
        const identity = faces.identity[row];
        faceIdsOf.set(identity, [...(faceIdsOf.get(identity) ?? []), faceIds[k]]);
      });
    }
    for (const [identity, ids] of faceIdsOf) {
      if (identity % 5 >= 3) continue; // 40% of identities stay unassigned
      const person = catalog.people.create(identity % 10 === 0 ? `Person ${identity}` : null);
      for (const id of ids) catalog.people.assign(id, person.id, 'auto');
    }
  });
  const people = catalog.people.all().length;
  catalog.close();
  return { people, insertSeconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  ensureRendererBuilt();
  mkdirSync(shotsDir, { recursive: true });
  const keep = flag('keep');
  const dir = keep ? path.resolve(keep) : mkdtempSync(path.join(os.tmpdir(), 'fa-bench-map-ui-'));
  mkdirSync(dir, { recursive: true });
  const dbFile = path.join(dir, 'catalog.db');
  try {
    let people = 0, insertSeconds = 0;
    if (existsSync(dbFile)) log(`re-using the catalog in ${dir}`);
    else {
      log(`building a catalog of ${N.toLocaleString()} synthetic faces...`);
      ({ people, insertSeconds } = await buildCatalog(dbFile));
    }
    const api = createAppApi({ dbFile, host: { mode: 'web', version: 'bench' } });
    people = api.catalog.people.all().length;
    const faces = api.catalog.stats().faces;
    const call = async (method: string, params: unknown): Promise<any> => {
      const r = await dispatch(api.handlers, method, params);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.result;
    };
    log(`projecting with ${METHOD} (cached afterwards)...`);
    let t0 = performance.now();
    const first = await call('map.get', { method: METHOD });
    const projectionSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const cached = await call('map.get', { method: METHOD });
    const cachedMapGetMs = performance.now() - t0;
    if (!cached.fromCache) throw new Error('the second map.get did not come from the cache');

    const server = await startWebServer({ api, rendererDir });
    const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
      await page.goto(`${server.url}#/library`);
      await page.getByRole('heading', { name: 'Library' }).waitFor();
      const firstFrameMs = await page.evaluate(async () => {
        performance.mark('open-map');
        location.hash = '#/map';
        for (;;) {
          const done = performance.getEntriesByName('map-first-frame');
          if (done.length) return done[0].startTime - performance.getEntriesByName('open-map')[0].startTime;
          await new Promise((r) => setTimeout(r, 5));
        }
      });
      const canvas = page.locator('canvas');
      const renderer = await canvas.getAttribute('data-renderer');
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(shotsDir, 'zoom-1-fit.png') });
      const box = (await canvas.boundingBox())!;
      const dataset = async (): Promise<Record<string, string>> => canvas.evaluate((c) => ({ ...c.dataset }) as Record<string, string>);
      const viewOf = (d: Record<string, string>): number[] => d.view.split(' ').map(Number);

      // Scouting (not measured): zoom towards the drawn pixel nearest the pointer, step by step, until faces
      // are full-size thumbnails; that face is the target of the measured zoom and of the screenshots.
      const nearestDrawn = (x: number, y: number): Promise<{ x: number; y: number } | null> => canvas.evaluate((c: HTMLCanvasElement, at: { x: number; y: number }) => {
        const copy = Object.assign(document.createElement('canvas'), { width: c.width, height: c.height });
        const ctx = copy.getContext('2d')!;
        c.dispatchEvent(new Event('map:draw-now')); // a WebGL frame is readable only in the task that drew it
        ctx.drawImage(c, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        const dpr = c.width / c.getBoundingClientRect().width;
        let best: { x: number; y: number } | null = null;
        let bestD = Infinity;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245) continue;
          const px = ((i / 4) % c.width) / dpr, py = Math.floor(i / 4 / c.width) / dpr;
          const dist = Math.hypot(px - at.x, py - at.y);
          if (dist < bestD) {
            bestD = dist;
            best = { x: px, y: py };
          }
        }
        return best;
      }, { x, y });
      let px = box.width / 2, py = box.height / 2;
      let midShot = false;
      for (let i = 0; i < 60; i++) {
        const found = await nearestDrawn(px, py);
        if (found) {
          px = found.x;
          py = found.y;
        }
        await page.mouse.move(box.x + px, box.y + py);
        await page.mouse.wheel(0, -250);
        await page.waitForTimeout(60);
        const d = await dataset();
        if (!midShot && Number(d.spritePx) >= 34) {
          midShot = true;
          await page.mouse.move(box.x + 2, box.y + 2);
          await page.waitForTimeout(2500);
          await page.screenshot({ path: path.join(shotsDir, 'zoom-2-mid.png') });
        }
        if (Number(d.spritePx) >= 100 && i > 3) break;
      }
      const [scale, vx, vy] = viewOf(await dataset());
      const target = { x: (px - vx) / scale, y: (vy - py) / scale };
      await page.mouse.move(box.x + 2, box.y + 2);
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline) {
        const d = await dataset();
        if (Number(d.sprites) > 0 && d.sprites === d.inView) break;
        await page.waitForTimeout(250);
      }
      const closest = await dataset();
      await page.screenshot({ path: path.join(shotsDir, 'zoom-3-closest.png') });
      await canvas.focus();
      await page.keyboard.press('0');
      await page.waitForTimeout(500);

      // Record every animation frame's interval, and the draw time of frames that drew, in the page.
      // (A string, not a function: tsx's name helpers do not exist in the page.)
      await page.evaluate(`(() => {
        const w = window;
        w.__frames = [];
        w.__draws = [];
        w.__stop = false;
        const c = document.querySelector('canvas');
        let last = performance.now();
        let lastView = c.dataset.view;
        const tick = (now) => {
          w.__frames.push(now - last);
          last = now;
          if (c.dataset.view !== lastView) {
            lastView = c.dataset.view;
            w.__draws.push(Number(c.dataset.drawMs));
          }
          if (!w.__stop) requestAnimationFrame(tick);
        };
        requestAnimationFrame((now) => {
          last = now;
          requestAnimationFrame(tick);
        });
      })()`);
      // The environment's own frame rate first: one idle second with the same recorder.
      await page.waitForTimeout(1000);
      const idle = await page.evaluate(`window.__frames.splice(0)`) as number[];
      await page.evaluate(`window.__draws.splice(0)`);
      /** Where the target face is on the page now. */
      const targetOnPage = async (): Promise<[number, number]> => {
        const [s, x0, y0] = viewOf(await dataset());
        return [box.x + Math.min(box.width - 2, Math.max(2, x0 + target.x * s)), box.y + Math.min(box.height - 2, Math.max(2, y0 - target.y * s))];
      };
      const end = performance.now() + SECONDS * 1000;
      let step = 0;
      let maxSprites = 0;
      let dragging = false;
      while (performance.now() < end) {
        const t = 1 - (end - performance.now()) / (SECONDS * 1000);
        if (t < 0.4) {
          // zoom in towards the target face, down to thumbnails
          const [x, y] = await targetOnPage();
          await page.mouse.move(x, y);
          await page.mouse.wheel(0, -400);
        } else if (t < 0.7) {
          // drag round a circle at the deep zoom: thumbnails stream in and out of view
          const [x, y] = await targetOnPage();
          if (!dragging) {
            await page.mouse.move(x, y);
            await page.mouse.down();
            dragging = true;
          }
          const a = step / 5;
          await page.mouse.move(box.x + box.width / 2 + 160 * Math.cos(a), box.y + box.height / 2 + 120 * Math.sin(a));
        } else {
          if (dragging) {
            await page.mouse.up();
            dragging = false;
          }
          await page.mouse.wheel(0, 140); // zoom back out
        }
        if (step % 5 === 0) maxSprites = Math.max(maxSprites, Number((await dataset()).sprites));
        step++;
      }
      if (dragging) await page.mouse.up();
      const { frames, draws } = await page.evaluate(`(() => {
        window.__stop = true;
        return { frames: window.__frames, draws: window.__draws };
      })()`) as { frames: number[]; draws: number[] };
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const metrics = (await cdp.send('Performance.getMetrics')).metrics as { name: string; value: number }[];
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
      // Typed arrays live outside the JS heap: their backing stores count too.
      const usage = await cdp.send('Runtime.getHeapUsage') as { usedSize: number; backingStorageSize?: number };
      const backing = usage.backingStorageSize ?? 0;

      const result = {
        faces,
        people,
        method: METHOD,
        renderer,
        machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}, chromium ${browser.version()} ${CHROMIUM_ARGS.join(' ')}`,
        insertSeconds: round(insertSeconds),
        projectionSeconds: round(projectionSeconds),
        placedIncrementally: first.placed,
        cachedMapGetMs: round(cachedMapGetMs),
        firstFrameMs: round(firstFrameMs),
        idleFrameMs: { median: round(quantile(idle, 0.5), 2), p95: round(quantile(idle, 0.95), 2) },
        frameMs: { median: round(quantile(frames, 0.5), 2), p95: round(quantile(frames, 0.95), 2), frames: frames.length, fps: round(frames.length / SECONDS) },
        drawMs: { median: round(quantile(draws, 0.5), 2), p95: round(quantile(draws, 0.95), 2), draws: draws.length },
        spritesWhileMoving: maxSprites,
        closestZoom: { sprites: Number(closest.sprites), inView: Number(closest.inView), spritePx: Number(closest.spritePx) },
        pageMb: round((heap + backing) / 2 ** 20),
        jsHeapMb: round(heap / 2 ** 20),
        arrayBuffersMb: round(backing / 2 ** 20),
        screenshots: shotsDir,
      };
      log(`${faces.toLocaleString()} faces, ${people.toLocaleString()} people, ${renderer}: projection ${result.projectionSeconds} s (then cached, map.get ${result.cachedMapGetMs} ms); ` +
        `first frame ${result.firstFrameMs} ms after opening the Map; panning and zooming ${SECONDS} s: frame median ${result.frameMs.median} ms, p95 ${result.frameMs.p95} ms ` +
        `(${result.frameMs.fps} fps; idle page: median ${result.idleFrameMs.median} ms, p95 ${result.idleFrameMs.p95} ms), draw median ${result.drawMs.median} ms, p95 ${result.drawMs.p95} ms; up to ${maxSprites} thumbnails drawn; page memory ${result.pageMb} MB (JS heap ${result.jsHeapMb} MB + array buffers ${result.arrayBuffersMb} MB)`);
      if (json) console.log(JSON.stringify(result));
      else console.log(JSON.stringify(result, null, 2));
    } finally {
      await browser.close();
      await server.close();
      await api.close();
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
