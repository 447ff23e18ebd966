// Photos first, end to end in chromium over web mode and a library of real photos (the Big Bang Theory
// cast alone and in group photos, Kit Harington and Rose Leslie alone and together): a person's photos
// grouped by date, the viewer (arrow keys, face boxes, naming from a box), "A and B together" and the
// `photos` CLI, each checked against the catalog's own faces and assignments.
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { AppApi } from '../../main/api/app-api.ts';
import type { WebServer } from '../../main/server/web-server.ts';
import { runCli } from '../helpers/cli.ts';
import { hasFaces, noFacesReason } from '../helpers/data.ts';
import { hasChromium, noChromiumReason, screenshot, startWebApp, unnamedControls, type WebApp } from './harness.ts';
import { buildLibrary } from './library.ts';

const skip = !hasFaces || !hasChromium;
if (skip) console.warn(!hasFaces ? noFacesReason : noChromiumReason);

const cast = (who: string, n: number): string[] => Array.from({ length: n }, (_, i) => `BBT_${who}/BBT_${who}_000${i + 1}.png`);
const PHOTOS = [
  ...cast('Sheldon', 4), ...cast('Leonard', 4), ...cast('Penny', 3), ...cast('Howard', 3), ...cast('Raj', 3),
  'groups/bbt1.jpg', 'groups/bbt2.jpg', 'groups/bbt3.jpg', 'groups/bbt4.jpg', 'groups/bbt5.jpg',
  'Kit_Harington/Kit_Harington_0001.jpg', 'Rose_Leslie/Rose_Leslie_0001.jpg', 'Rose_Leslie/Rose_Leslie_0002.jpg', 'groups/kit_with_rose.jpg',
];
/** Two files a day, going back from 20 June 2025: the photos' dates are their file times (none has EXIF). */
const fileTime = (i: number): number => new Date(2025, 5, 20 - Math.floor(i / 2), 9 + (i % 2) * 6).getTime();
const localDay = (ms: number): string => new Date(ms).toLocaleDateString('sv-SE');

describe.skipIf(skip)('photos first, in chromium', () => {
  let tmp: string;
  let api: AppApi;
  let server: WebServer;
  let page: Page;
  let app: WebApp;
  let problems: string[] = [];

  const call = (method: string, params: unknown = {}): Promise<any> => app.truth(method, params);

  /** The truth from the catalog's faces and assignments (not from the photo index under test). */
  function truth() {
    const c = api.catalog;
    const photos = c.photos.list({ status: 'ok' }).map((p) => ({
      id: p.id, path: p.path, date: p.takenAt ?? Math.trunc(p.mtimeMs),
      people: new Set(c.faces.ofPhoto(p.id).map((f) => c.people.assignment(f.id)?.personId).filter((x): x is number => x !== undefined)),
      faces: c.faces.ofPhoto(p.id).length,
      free: c.faces.ofPhoto(p.id).filter((f) => !c.people.assignment(f.id)).length,
    }));
    const newestFirst = (list: typeof photos) => [...list].sort((a, b) => b.date - a.date || b.id - a.id);
    return {
      photos,
      of: (...ids: number[]) => newestFirst(photos.filter((p) => ids.every((id) => p.people.has(id)))),
      only: (...ids: number[]) => newestFirst(photos.filter((p) => ids.every((id) => p.people.has(id)) && [...p.people].every((q) => ids.includes(q) || !c.people.get(q)!.name))),
    };
  }

  const tiles = (group: string) => page.getByRole('group', { name: group }).locator('[data-photo-id]');
  const tileIds = async (group: string): Promise<number[]> => (await tiles(group).evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.photoId))));
  const viewer = () => page.getByRole('dialog', { name: 'Photo viewer' });

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-photos-'));
    const library = buildLibrary(path.join(tmp, 'photos'), PHOTOS);
    PHOTOS.forEach((rel, i) => utimesSync(path.join(library, rel), fileTime(i) / 1000, fileTime(i) / 1000));
    app = await startWebApp(path.join(tmp, 'catalog.db'), { viewport: { width: 1360, height: 1000 }, ignoreConsole: /Failed to load resource/ });
    ({ api, server, page, problems } = app);
    await call('library.addFolder', { path: library });
    await api.library.idle();
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** The person in the most photos, and the pair of people together in the most photos. */
  function cast_() {
    const t = truth();
    const counts = new Map<number, number>();
    for (const p of t.photos) for (const id of p.people) counts.set(id, (counts.get(id) ?? 0) + 1);
    const [star] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    const pairs: [number, number, number][] = [];
    const ids = [...counts.keys()].sort((a, b) => a - b);
    for (const a of ids) for (const b of ids) if (a < b) pairs.push([a, b, t.of(a, b).length]);
    pairs.sort((x, y) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1]);
    return { t, star, pair: pairs[0] };
  }

  test('a person\'s page shows their whole photos, newest first, grouped by the day they were taken', async () => {
    const { t, star } = cast_();
    const expected = t.of(star);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    await page.goto(`${server.url}#/people/${star}`);
    const group = `Photos of Unnamed`;
    await expect.poll(() => tiles(group).count(), { timeout: 20_000 }).toBe(expected.length);
    expect(await tileIds(group)).toEqual(expected.map((p) => p.id));
    // Each tile sits under its own day's header; the headers are the distinct days, newest first.
    const days = [...new Set(expected.map((p) => localDay(p.date)))];
    expect(await page.locator('h3[data-day]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.day))).toEqual(days);
    expect(await tiles(group).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.day))).toEqual(expected.map((p) => localDay(p.date)));
    // The header: photo count and first / last seen.
    const meta = page.getByTestId('person-meta');
    await expect(meta.textContent()).resolves.toContain(`${expected.length} photos`);
    const fmt = (ms: number) => new Date(ms).toLocaleString('en-US', { day: 'numeric', month: 'short', year: 'numeric' });
    expect(await page.locator('[data-field="last-seen"]').textContent()).toBe(fmt(expected[0].date));
    expect(await page.locator('[data-field="first-seen"]').textContent()).toBe(fmt(expected[expected.length - 1].date));
    // The thumbnails really are images.
    await expect.poll(() => tiles(group).first().locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    // The keyboard moves between tiles.
    await tiles(group).first().focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement).dataset.photoId)).toBe(String(expected[1].id));
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement).dataset.photoId)).toBe(String(expected[expected.length - 1].id));
    // The Faces tab keeps the crop grid.
    await page.getByRole('tab', { name: 'Faces' }).click();
    const faceCount = (await call('people.faces', { personId: star, limit: 1 })).total;
    await expect.poll(() => page.getByRole('group', { name: 'Faces of Unnamed' }).getByRole('button').count()).toBe(faceCount);
    await page.getByRole('tab', { name: 'Photos' }).click();
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot(page, 'person-photos');
  });

  test('the viewer opens a photo large, moves with the arrow keys and draws every face box', async () => {
    const { t, star } = cast_();
    const expected = t.of(star);
    const group = `Photos of Unnamed`;
    await tiles(group).nth(0).click();
    await viewer().waitFor();
    const shown = () => viewer().getAttribute('data-photo-id').then(Number);
    await expect.poll(shown).toBe(expected[0].id);
    await page.keyboard.press('ArrowRight');
    await expect.poll(shown).toBe(expected[1].id);
    await page.keyboard.press('ArrowRight');
    await expect.poll(shown).toBe(expected[2].id);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(shown).toBe(expected[1].id);
    await viewer().getByRole('button', { name: 'Next photo' }).click();
    await expect.poll(shown).toBe(expected[2].id);
    // One box per face of the photo, each labelled with its person; the screen-size image is served.
    const current = expected[2];
    await expect.poll(() => viewer().locator('.box').count()).toBe(current.faces);
    await expect.poll(() => viewer().locator('img.full').evaluate((img: HTMLImageElement) => img.complete ? img.naturalWidth : 0)).toBeGreaterThan(0);
    await expect(viewer().locator(`.box[data-person-id="${star}"]`).count()).resolves.toBe(1);
    await expect(viewer().getByText(path.basename(current.path)).first().isVisible()).resolves.toBe(true);
    expect(await unnamedControls(page)).toEqual([]);
    // Zoom in and back.
    await page.keyboard.press('+');
    await expect.poll(() => viewer().locator('.layer').evaluate((el) => getComputedStyle(el).transform)).not.toBe('matrix(1, 0, 0, 1, 0, 0)');
    await page.keyboard.press('0');
    await page.keyboard.press('Escape');
    await expect.poll(() => viewer().count()).toBe(0);
  });

  test('a face box in a group photo opens a panel; naming the person there shows on the People grid after reload', async () => {
    const { t, pair } = cast_();
    const [a] = pair;
    const group = t.of(...pair.slice(0, 2) as [number, number]);
    expect(group.length).toBeGreaterThan(0);
    const index = t.of(a).findIndex((p) => p.id === group[0].id);
    await page.goto(`${server.url}#/people/${a}`);
    await expect.poll(() => tiles('Photos of Unnamed').count(), { timeout: 20_000 }).toBe(t.of(a).length);
    await tiles('Photos of Unnamed').nth(index).click();
    await expect.poll(() => viewer().getAttribute('data-photo-id').then(Number)).toBe(group[0].id);
    // Unassigned faces (if any) stand out with their own label.
    await expect.poll(() => viewer().getByRole('button', { name: 'Unassigned face' }).count()).toBe(group[0].free);
    await expect.poll(() => viewer().locator('img.full').evaluate((img: HTMLImageElement) => img.complete ? img.naturalWidth : 0)).toBeGreaterThan(0);
    await viewer().locator(`.box[data-person-id="${a}"]`).click();
    const panel = viewer().getByRole('dialog', { name: 'Face' });
    await panel.waitFor();
    await screenshot(page, 'viewer-face-panel');
    await panel.getByRole('combobox', { name: 'Name', exact: true }).fill('Ann Example');
    await panel.getByRole('combobox', { name: 'Name', exact: true }).press('Enter');
    await expect.poll(() => viewer().locator(`.box[data-person-id="${a}"]`).getAttribute('aria-label')).toBe('Face of Ann Example');
    expect(api.catalog.people.get(a)!.name).toBe('Ann Example');
    await viewer().getByRole('status').filter({ hasText: 'Named Ann Example.' }).waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    await page.keyboard.press('Escape'); // closes the panel...
    await expect.poll(() => panel.count()).toBe(0);
    await screenshot(page, 'viewer-boxes');
    await page.keyboard.press('Escape'); // ...then the viewer
    await page.goto(`${server.url}#/people`);
    await page.reload();
    await page.getByRole('button', { name: 'Rename Ann Example' }).waitFor();
    expect(problems).toEqual([]);
  });

  test('"A and B together" shows exactly the photos with both, and "only these people" drops those with someone else named', async () => {
    const { pair } = cast_();
    const [a, b] = pair;
    await call('people.rename', { personId: b, name: 'Ben Example' });
    let t = truth();
    const together = t.of(a, b);
    // Name a third person seen with both, so "only" has someone to leave out.
    const third = [...new Set(together.flatMap((p) => [...p.people]))].find((id) => id !== a && id !== b);
    if (third !== undefined) await call('people.rename', { personId: third, name: 'Cleo Example' });
    t = truth();

    await page.goto(`${server.url}#/people`);
    await page.getByLabel('Select Ann Example').check();
    await page.getByLabel('Select Ben Example').check();
    await page.getByRole('button', { name: 'Photos together (2)' }).click();
    const results = 'Photos with Ann Example and Ben Example';
    await expect.poll(() => tileIds(results), { timeout: 20_000 }).toEqual(t.of(a, b).map((p) => p.id));
    await expect(page.getByTestId('search-summary').textContent()).resolves.toContain(`${together.length} photo`);
    await expectNamed();
    await screenshot(page, 'search-together');

    await page.getByLabel('Only these people').check();
    const only = t.only(a, b);
    if (third !== undefined) expect(only.length).toBeLessThan(together.length);
    if (only.length) await expect.poll(() => tileIds(results)).toEqual(only.map((p) => p.id));
    else await page.getByText(/No photo has/).waitFor();
    await screenshot(page, 'search-only');

    // The same search typed: a name box with suggestions.
    await page.goto(`${server.url}#/search`);
    const box = page.getByRole('combobox', { name: 'Add a person' });
    await box.fill('ann e');
    await page.getByRole('option', { name: /Ann Example/ }).click();
    await box.fill('Ben');
    await box.press('ArrowDown');
    await box.press('Enter');
    await expect.poll(() => tileIds(results), { timeout: 20_000 }).toEqual(t.of(a, b).map((p) => p.id));

    // And from the command line, by name and by id.
    const cli = await runCli(['photos', '--with', 'ann example', '--with', String(b), '--json', '--db', path.join(tmp, 'catalog.db')]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.json.photos.map((p: any) => p.id)).toEqual(t.of(a, b).map((p) => p.id));
    for (const p of cli.json.photos) expect(p.people).toEqual(expect.arrayContaining([a, b]));
    expect(cli.json.photos[0].takenAt).toBe(t.of(a, b)[0].date);
    const unknown = await runCli(['photos', '--with', 'Nobody Here', '--db', path.join(tmp, 'catalog.db')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/nobody is named "Nobody Here"/);
  });

  test('the Library shows each folder\'s photos with their face counts, openable in the viewer', async () => {
    const t = truth();
    const groups = path.join(tmp, 'photos', 'groups');
    const inGroups = t.photos.filter((p) => path.dirname(p.path) === groups).sort((x, y) => y.date - x.date || y.id - x.id);
    await page.goto(`${server.url}#/library`);
    const folder = page.getByRole('list', { name: 'Photo folders' }).getByRole('button', { name: /^photos\/groups / });
    await expect(folder.textContent()).resolves.toContain(`${inGroups.length} photos · ${inGroups.reduce((s, p) => s + p.faces, 0)} faces`);
    await folder.click();
    await expect.poll(() => tileIds('Photos in photos/groups'), { timeout: 20_000 }).toEqual(inGroups.map((p) => p.id));
    await expect(tiles('Photos in photos/groups').first().locator('.badge').textContent()).resolves.toBe(`${inGroups[0].faces} face${inGroups[0].faces === 1 ? '' : 's'}`);
    await screenshot(page, 'library-photos');
    // A group photo with faces nobody was recognised in: their boxes stand out.
    const withFree = inGroups.findIndex((p) => p.free > 0);
    await tiles('Photos in photos/groups').nth(Math.max(0, withFree)).click();
    await expect.poll(() => viewer().getAttribute('data-photo-id').then(Number)).toBe(inGroups[Math.max(0, withFree)].id);
    await expect.poll(() => viewer().locator('img.full').evaluate((img: HTMLImageElement) => img.complete ? img.naturalWidth : 0)).toBeGreaterThan(0);
    if (withFree >= 0) await expect.poll(() => viewer().getByRole('button', { name: 'Unassigned face' }).count()).toBe(inGroups[withFree].free);
    await screenshot(page, 'viewer-unassigned');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.keyboard.press('Escape');
    await screenshot(page, 'library-photos-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await tiles('Photos in photos/groups').first().click();
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
  });

  test('"Ignore this face" in the viewer takes a face out of its person, and undo brings it back', async () => {
    const { pair } = cast_();
    const a = pair[0];
    await page.goto(`${server.url}#/people/${a}`);
    await tiles(`Photos of ${api.catalog.people.get(a)!.name ?? 'Unnamed'}`).first().click();
    const box = viewer().locator(`.box[data-person-id="${a}"]`).first();
    await box.waitFor();
    const faceId = Number(await box.getAttribute('data-face-id'));
    await box.click();
    const panel = viewer().getByRole('dialog', { name: 'Face' });
    await panel.getByRole('button', { name: 'Ignore this face' }).click();
    await expect.poll(() => api.catalog.ignored.has(faceId)).toBe(true);
    expect(api.catalog.people.assignment(faceId)).toBeUndefined();
    await viewer().getByRole('status').filter({ hasText: 'This face is ignored.' }).waitFor();
    await expect.poll(() => viewer().locator(`.box[data-face-id="${faceId}"]`).count()).toBe(0);
    await api.handlers['people.undo']({});
    expect(api.catalog.ignored.has(faceId)).toBe(false);
    expect(api.catalog.people.assignment(faceId)?.personId).toBe(a);
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
  });

  async function expectNamed(): Promise<void> {
    expect(await unnamedControls(page)).toEqual([]);
  }
});
