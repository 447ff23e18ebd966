// The Map as a face atlas, end to end in Chromium over web mode and a temp library of real photos: faces
// become thumbnails when zoomed in, a click opens the face's photo, the legend highlights exactly one
// person's faces, and a lasso selection assigned to a person survives a reload (and undo puts it back).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Page } from 'playwright-core';
import type { AppApi } from '../../main/api/app-api.ts';
import type { WebServer } from '../../main/server/web-server.ts';
import { unpackMapPage } from '../../shared/map-pages.ts';
import { hasFaces, noFacesReason } from '../helpers/data.ts';
import { CHROMIUM_ARGS, chromiumPath, hasChromium, noChromiumReason, screenshot, startWebApp, unnamedControls, type WebApp } from './harness.ts';
import { buildLibrary } from './library.ts';

const skip = !hasFaces || !hasChromium;
if (skip) console.warn(!hasFaces ? noFacesReason : noChromiumReason);

interface TruthMap {
  faceIds: number[];
  photoIds: number[];
  personIds: number[];
  xy: Float32Array;
}

describe.skipIf(skip)('the map as a face atlas in chromium', () => {
  let tmp: string;
  let api: AppApi;
  let server: WebServer;
  let page: Page;
  let app: WebApp;
  let problems: string[] = [];

  const truth = (method: string, params: unknown = {}): Promise<any> => app.truth(method, params);
  /** The map as the API serves it, every page decoded. */
  const truthMap = async (): Promise<TruthMap> => {
    const header = await truth('map.get', { method: 'umap' });
    const out: TruthMap = { faceIds: [], photoIds: [], personIds: [], xy: new Float32Array(2 * header.total) };
    for (let offset = 0; offset < header.total; offset += header.pageFaces) {
      const page = await truth('map.page', { snapshot: header.snapshot, offset });
      const a = unpackMapPage(page, page.count);
      out.faceIds.push(...a.faceIds);
      out.photoIds.push(...a.photoIds);
      out.personIds.push(...a.personIds);
      out.xy.set(a.xy, 2 * offset);
    }
    return out;
  };
  const canvas = () => page.locator('canvas');
  const data = async (): Promise<Record<string, string>> => canvas().evaluate((c) => ({ ...c.dataset }) as Record<string, string>);
  /** Where a map point is on the page, from the view the canvas reports. */
  const onPage = async (x: number, y: number): Promise<[number, number]> => {
    const [scale, cx, cy] = (await canvas().getAttribute('data-view'))!.split(' ').map(Number);
    const box = (await canvas().boundingBox())!;
    return [box.x + cx + x * scale, box.y + cy - y * scale];
  };
  /** A small lasso (an octagon, 9 px across its centre) drawn round a point of the page. */
  const lassoAround = (x: number, y: number): [number, number][] =>
    Array.from({ length: 8 }, (_, k) => [x + 9 * Math.cos((k * Math.PI) / 4), y + 9 * Math.sin((k * Math.PI) / 4)]);
  /** The faces whose points are drawn inside a page polygon (even-odd rule), in the view as it is now. */
  const facesInside = async (polygon: [number, number][], map: { faceIds: number[]; xy: Float32Array | number[] }): Promise<number[]> => {
    const inside = (px: number, py: number): boolean => {
      let result = false;
      for (let a = 0, b = polygon.length - 1; a < polygon.length; b = a++) {
        const [ax, ay] = polygon[a], [bx, by] = polygon[b];
        if (ay > py !== by > py && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) result = !result;
      }
      return result;
    };
    const found: number[] = [];
    for (let i = 0; i < map.faceIds.length; i++) {
      const [fx, fy] = await onPage(map.xy[2 * i], map.xy[2 * i + 1]);
      if (inside(fx, fy)) found.push(map.faceIds[i]);
    }
    return found;
  };
  /** Draws the polygon with the mouse, the Lasso tool on. */
  const drawLasso = async (polygon: [number, number][]): Promise<void> => {
    if ((await page.getByRole('button', { name: 'Lasso' }).getAttribute('aria-pressed')) !== 'true') await page.getByRole('button', { name: 'Lasso' }).click();
    await page.mouse.move(polygon[0][0], polygon[0][1]);
    await page.mouse.down();
    for (const [px, py] of [...polygon.slice(1), polygon[0]]) await page.mouse.move(px, py, { steps: 2 });
    await page.mouse.up();
  };
  const openMap = async (): Promise<void> => {
    await page.goto(`${server.url}#/map`);
    const faces = (await truth('library.status')).stats.faces;
    await expect.poll(() => canvas().getAttribute('data-faces'), { timeout: 120_000 }).toBe(String(faces));
    await steadyView();
  };
  /** Waits until the view stops changing (the legend filling in resizes the canvas, which fits the map again). */
  const steadyView = async (): Promise<void> => {
    let last = '';
    await expect.poll(async () => {
      const now = await canvas().getAttribute('data-view');
      const same = now === last;
      last = now ?? '';
      await page.waitForTimeout(250);
      return same;
    }).toBe(true);
  };
  const zoomToClosest = async (): Promise<void> => {
    const box = (await canvas().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -400);
    await expect.poll(async () => Number(await canvas().getAttribute('data-sprite-px'))).toBeGreaterThanOrEqual(100);
    await steadyView();
  };
  /** Distinct colours in the canvas's pixels (read back through a 2D copy, whatever context draws it). */
  const distinctColours = (): Promise<number> => canvas().evaluate((c: HTMLCanvasElement) => {
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const ctx = copy.getContext('2d')!;
    c.dispatchEvent(new Event('map:draw-now')); // a WebGL frame is readable only in the task that drew it
    ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-map-e2e-'));
    const library = buildLibrary(path.join(tmp, 'photos'));
    app = await startWebApp(path.join(tmp, 'catalog.db'), { ignoreConsole: /Failed to load resource/ });
    ({ api, server, page, problems } = app);
    await truth('library.addFolder', { path: library });
    for (let t = 0; t < 600; t++) {
      const s = await truth('library.status');
      if (!s.progress.running && s.progress.phase === 'done' && (await truth('people.list')).people.length > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // Two named people, so the map labels them and the legend finds them by name.
    const people = (await truth('people.list')).people;
    await truth('people.rename', { personId: people[0].id, name: 'Alice Atlas' });
    await truth('people.rename', { personId: people[1].id, name: 'Bob Atlas' });
  }, 600_000);

  afterAll(async () => {
    await app?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('the map fills the canvas, names people at their centre, and at the closest zoom every face in view is its thumbnail', async () => {
    await openMap();
    const faces = (await truth('library.status')).stats.faces;
    await expect.poll(async () => (await data()).points).toBe(String(faces));
    // Fitted to the data: the faces span most of the canvas's width or height (not its middle third).
    const map = await truthMap();
    const box = (await canvas().boundingBox())!;
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i < map.faceIds.length; i++) {
      const [x, y] = await onPage(map.xy[2 * i], map.xy[2 * i + 1]);
      xs.push(x - box.x);
      ys.push(y - box.y);
    }
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(box.width);
    expect(Math.max(...ys)).toBeLessThanOrEqual(box.height);
    expect(Math.max((Math.max(...xs) - Math.min(...xs)) / box.width, (Math.max(...ys) - Math.min(...ys)) / box.height)).toBeGreaterThan(0.7);
    await expect(page.locator('.labels .label', { hasText: 'Alice Atlas' }).count()).resolves.toBe(1);
    await expectNoUnnamedControls();
    await screenshot(page, 'map-zoom-1-fit');

    const box2 = (await canvas().boundingBox())!;
    await page.mouse.move(box2.x + box2.width / 2, box2.y + box2.height / 2);
    await page.mouse.wheel(0, -250);
    await steadyView();
    await screenshot(page, 'map-zoom-2-mid');

    await zoomToClosest();
    await expectThumbnailsInView();
    await screenshot(page, 'map-zoom-3-closest');
  });

  test('clicking a face opens the photo viewer on that photo', async () => {
    await openMap();
    await zoomToClosest();
    const map = await truthMap();
    const box = (await canvas().boundingBox())!;
    // The face nearest the canvas centre.
    let best = -1, bestD = Infinity;
    for (let i = 0; i < map.faceIds.length; i++) {
      const [x, y] = await onPage(map.xy[2 * i], map.xy[2 * i + 1]);
      const d = Math.hypot(x - (box.x + box.width / 2), y - (box.y + box.height / 2));
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    const [x, y] = await onPage(map.xy[2 * best], map.xy[2 * best + 1]);
    await page.mouse.click(x, y);
    const dialog = page.getByRole('dialog', { name: 'Photo viewer' });
    await dialog.waitFor();
    const photo = await truth('photo.get', { photoId: map.photoIds[best] });
    expect(photo.faces.map((f: { faceId: number }) => f.faceId)).toContain(map.faceIds[best]);
    await expect.poll(() => dialog.getAttribute('data-photo-id')).toBe(String(map.photoIds[best]));
    await screenshot(page, 'map-photo-viewer');
    await dialog.getByRole('button', { name: 'Close viewer' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  test("a person's name in the legend flies to and highlights exactly that person's faces; search centres on a name", async () => {
    await openMap();
    const bob = (await truth('people.list')).people.find((p: { name: string | null }) => p.name === 'Bob Atlas');
    const map = await truthMap();
    const bobFaces = map.personIds.map((p, i) => (p === bob.id ? i : -1)).filter((i) => i >= 0);
    expect(bobFaces.length).toBe(bob.faceCount);
    await page.getByRole('button', { name: `Show Bob Atlas (${bob.faceCount}) on the map` }).click();
    await expect.poll(async () => (await data()).highlighted).toBe(String(bob.faceCount));
    await expect(page.getByRole('button', { name: /Show Bob Atlas/ }).getAttribute('aria-pressed')).resolves.toBe('true');
    // After the flight, every one of Bob's faces is inside the canvas.
    await steadyView();
    const box = (await canvas().boundingBox())!;
    for (const i of bobFaces) {
      const [x, y] = await onPage(map.xy[2 * i], map.xy[2 * i + 1]);
      expect(x).toBeGreaterThan(box.x);
      expect(x).toBeLessThan(box.x + box.width);
      expect(y).toBeGreaterThan(box.y);
      expect(y).toBeLessThan(box.y + box.height);
    }
    await screenshot(page, 'map-legend-highlight');

    // Search: typing a name and Enter highlights that person instead.
    const alice = (await truth('people.list')).people.find((p: { name: string | null }) => p.name === 'Alice Atlas');
    await page.getByLabel('Find a person on the map').fill('alice');
    await expect(page.getByRole('list').last().getByRole('button').count()).resolves.toBe(1);
    await page.getByLabel('Find a person on the map').press('Enter');
    await expect.poll(async () => (await data()).highlighted).toBe(String(alice.faceCount));
    await expect(page.getByRole('button', { name: /Show Alice Atlas/ }).getAttribute('aria-pressed')).resolves.toBe('true');
  });

  test('a lasso selection assigned to a person moves exactly those faces, survives a reload, and undo puts them back', async () => {
    await openMap();
    const people = (await truth('people.list')).people;
    const alice = people.find((p: { name: string | null }) => p.name === 'Alice Atlas');
    const map = await truthMap();
    // A face that is not Alice's, and a small lasso (an octagon) drawn round it.
    const pick = map.personIds.findIndex((p) => p !== alice.id);
    const [x, y] = await onPage(map.xy[2 * pick], map.xy[2 * pick + 1]);
    const lasso = lassoAround(x, y);
    const chosen = await facesInside(lasso, map);
    expect(chosen).toContain(map.faceIds[pick]);
    const before = new Map(chosen.map((f) => [f, api.catalog.people.assignment(f)?.personId ?? null]));

    await drawLasso(lasso);
    await expect.poll(async () => (await data()).selected).toBe(String(chosen.length));
    await page.getByLabel('Assign to').selectOption(String(alice.id));
    await page.getByRole('button', { name: 'Assign…' }).click();
    // Nothing moves before the confirmation.
    await page.getByText(`Move ${chosen.length} face${chosen.length === 1 ? '' : 's'} to Alice Atlas?`).waitFor();
    expect(chosen.map((f) => api.catalog.people.assignment(f)?.personId ?? null)).toEqual(chosen.map((f) => before.get(f)));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => chosen.every((f) => api.catalog.people.assignment(f)?.personId === alice.id)).toBe(true);
    const aliceNow = (await truth('people.list')).people.find((p: { id: number }) => p.id === alice.id);
    await expect.poll(() => page.getByRole('button', { name: `Show Alice Atlas (${aliceNow.faceCount}) on the map` }).count()).toBe(1);
    await screenshot(page, 'map-after-assign');

    await page.reload();
    await expect.poll(() => canvas().getAttribute('data-faces'), { timeout: 60_000 }).toBe(String(map.faceIds.length));
    await steadyView();
    await page.getByRole('button', { name: `Show Alice Atlas (${aliceNow.faceCount}) on the map` }).click();
    await expect.poll(async () => (await data()).highlighted).toBe(String(aliceNow.faceCount));
    expect(chosen.every((f) => api.catalog.people.assignment(f)?.personId === alice.id)).toBe(true);

    await page.getByRole('banner').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => chosen.map((f) => api.catalog.people.assignment(f)?.personId ?? null)).toEqual(chosen.map((f) => before.get(f)));
    await expect.poll(() => page.getByRole('button', { name: `Show Alice Atlas (${alice.faceCount}) on the map` }).count()).toBe(1);

    // The same face, lassoed again where it is now drawn, then ignored: asked first, then those faces are out of
    // people and suggestions; undo brings them back.
    await steadyView();
    const [x2, y2] = await onPage(map.xy[2 * pick], map.xy[2 * pick + 1]);
    const lasso2 = lassoAround(x2, y2);
    const ignored = await facesInside(lasso2, map);
    expect(ignored).toContain(map.faceIds[pick]);
    await drawLasso(lasso2);
    await expect.poll(async () => (await data()).selected).toBe(String(ignored.length));
    await page.getByRole('button', { name: 'Ignore…' }).click();
    await page.getByText(`Ignore ${ignored.length} face${ignored.length === 1 ? '' : 's'}?`).waitFor();
    expect(ignored.some((f) => api.catalog.ignored.has(f))).toBe(false);
    await page.getByRole('button', { name: 'Ignore', exact: true }).click();
    await expect.poll(() => ignored.every((f) => api.catalog.ignored.has(f))).toBe(true);
    await page.getByTestId('toast').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => ignored.some((f) => api.catalog.ignored.has(f))).toBe(false);
    expect(problems).toEqual([]);
  });

  test('without WebGL the map falls back to canvas 2D and still draws thumbnails', async () => {
    const noGl = await chromium.launch({ executablePath: chromiumPath, args: [...CHROMIUM_ARGS, '--disable-webgl'] });
    try {
      page = await noGl.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
      await openMap();
      await expect(canvas().getAttribute('data-renderer')).resolves.toBe('2d');
      await zoomToClosest();
      await expectThumbnailsInView();
      await screenshot(page, 'map-canvas2d-closest');
    } finally {
      await noGl.close();
    }
  });

  /** Every face whose thumbnail reaches into the view is drawn as that thumbnail (once loaded), and the pixels are photos. */
  async function expectThumbnailsInView(): Promise<void> {
    await expect.poll(async () => {
      const d = await data();
      return Number(d.sprites) > 0 && d.sprites === d.inView;
    }, { timeout: 30_000 }).toBe(true);
    // Photos, not flat dots: a canvas of coloured dots has a few dozen colours, thumbnails thousands.
    expect(await distinctColours()).toBeGreaterThan(2000);
  }

  async function expectNoUnnamedControls(): Promise<void> {
    expect(await unnamedControls(page)).toEqual([]);
  }
});
