// End to end in a real browser: Debian's chromium drives the built renderer served by web mode over a temp
// library of real photos. One server and one browser for the whole file; each test leaves a screenshot.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { WebServer } from '../../main/server/web-server.ts';
import { PEOPLE_DEFAULTS } from '../../shared/settings.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';
import { hasChromium, noChromiumReason, screenshot, startWebApp, unnamedControls, type WebApp } from './harness.ts';
import { APP_PHOTOS, BROKEN_PHOTO, buildLibrary } from './library.ts';

const skip = !hasFaces || !hasChromium;
if (skip) console.warn(!hasFaces ? noFacesReason : noChromiumReason);

describe.skipIf(skip)('web mode in chromium', () => {
  let tmp: string;
  let library: string;
  let server: WebServer;
  let page: Page;
  let app: WebApp;
  let problems: string[] = [];

  /** The API's own answer, to check what the UI shows against the truth. */
  const truth = (method: string, params: unknown = {}): Promise<any> => app.truth(method, params);
  const open = async (hash: string): Promise<void> => {
    await page.goto(`${server.url}${hash}`);
  };
  const expectNamedControls = async (): Promise<void> => expect(await unnamedControls(page)).toEqual([]);

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-e2e-'));
    library = buildLibrary(path.join(tmp, 'photos'));
    app = await startWebApp(path.join(tmp, 'catalog.db'));
    ({ server, page, problems } = app);
  });

  afterAll(async () => {
    await app?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('the token leaves the address bar, is no cookie, and the session survives a reload', async () => {
    const firstSocket = page.waitForEvent('websocket');
    await open('#/library');
    await (await firstSocket).waitForEvent('framereceived');
    await page.waitForFunction(() => !location.search.includes('token'));
    expect(page.url()).not.toContain(server.token);
    expect(page.url().endsWith('/#/library')).toBe(true);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.context().cookies()).toEqual([]);
    // After a reload the page still reaches the API (the token from this tab's memory, not the address).
    const again = page.waitForEvent('websocket');
    await page.reload();
    const socket = await again;
    await socket.waitForEvent('framereceived');
    expect(socket.url()).toContain(server.token);
    expect(page.url()).not.toContain(server.token);
  });

  test('the main navigation has the seven views by name', async () => {
    await open('#/library');
    for (const name of ['People', 'Unassigned', 'Map', 'Verify', 'Library', 'Personalise', 'Settings']) {
      await expect(page.getByRole('link', { name, exact: true }).count()).resolves.toBe(1);
    }
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(page.url()).toContain('#/settings');
  });

  test('adding a folder indexes it with live progress; the failed file is listed with its reason', async () => {
    await open('#/library');
    await page.getByLabel('Folder path').fill(library);
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.locator('[data-phase="indexing"], [data-phase="done"]').first().waitFor({ timeout: 60_000 });
    await page.locator('[data-phase="done"][data-running="false"]').waitFor({ timeout: 180_000 });
    const total = APP_PHOTOS.length + 1;
    await expect(page.getByTestId('progress-counts').textContent()).resolves.toContain(`${total} / ${total} photos`);
    const status = await truth('library.status');
    expect(status.stats.photos).toBe(APP_PHOTOS.length);
    expect(status.stats.failed).toBe(1);
    const row = page.getByRole('row', { name: new RegExp(BROKEN_PHOTO) });
    await expect(row.textContent()).resolves.toMatch(/NOT_AN_IMAGE/);
    await expect(page.getByRole('cell', { name: library, exact: false }).first().textContent()).resolves.toContain(library);
    await expectNamedControls();
    await screenshot(page, 'library');
  });

  test('people appear as cards with cover, "Unnamed" and face count; people seen a few times are folded away', async () => {
    await page.getByRole('link', { name: 'People', exact: true }).click();
    const people = (await truth('people.list')).people;
    const isFew = (p: any): boolean => !p.name && p.faceCount < PEOPLE_DEFAULTS.fewFaces;
    const known = people.filter((p: any) => !isFew(p));
    const few = people.filter(isFew);
    expect(known.length).toBeGreaterThanOrEqual(4);
    expect(few.length).toBeGreaterThanOrEqual(1); // Tom Jones has two photos in the app library
    const cards = page.getByRole('list', { name: 'People', exact: true }).getByRole('listitem');
    await expect.poll(() => cards.count()).toBe(known.length);
    await expect(cards.first().textContent()).resolves.toMatch(new RegExp(`Add a name\\s*${known[0].faceCount} faces`));
    await expect(cards.first().getByRole('button', { name: 'Rename Unnamed' }).count()).resolves.toBe(1);
    await expect(cards.first().locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).resolves.toBe(true);
    // Largest first: the face counts shown never grow down the list.
    const counts = (await cards.allTextContents()).map((t) => Number(/(\d+) faces?/.exec(t)?.[1]));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const folded = page.getByRole('list', { name: 'Seen only a few times' });
    await expect(folded.isVisible()).resolves.toBe(false);
    await page.getByText(/^Seen only a few times: /).click();
    await expect.poll(() => folded.getByRole('listitem').count()).toBe(few.length);
    const waiting = (await truth('people.unassigned', { limit: 1 })).total;
    if (waiting) await expect(page.getByRole('link', { name: `Unassigned: ${waiting} face` }).count()).resolves.toBe(1);
    await expectNamedControls();
    await screenshot(page, 'people');
    await page.getByText(/^Seen only a few times: /).click();
  });

  test('rename, merge, "Not this person" and undo work and survive a reload', async () => {
    const before = (await truth('people.list')).people;
    const [first, second] = before;
    await open('#/people');
    // Rename in place.
    await page.getByRole('button', { name: 'Rename Unnamed' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('Alice Example');
    await page.getByLabel('Name', { exact: true }).press('Enter');
    await page.getByRole('button', { name: 'Rename Alice Example' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Rename Alice Example' }).waitFor();
    expect((await truth('people.list')).people.find((p: any) => p.id === first.id).name).toBe('Alice Example');

    // Merge the renamed person with the next one: the name survives, the faces add up.
    await page.getByLabel('Select Alice Example').check();
    await page.getByLabel('Select Unnamed').first().check();
    await page.getByRole('button', { name: 'Merge selected (2)' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Merge', exact: true }).click();
    await expect.poll(async () => (await truth('people.list')).people.length).toBe(before.length - 1);
    const alice = (await truth('people.list')).people.find((p: any) => p.name === 'Alice Example');
    expect(alice.faceCount).toBe(first.faceCount + second.faceCount);
    await page.reload();
    const aliceCard = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Rename Alice Example' }) });
    await expect.poll(() => aliceCard.textContent()).toContain(`${alice.faceCount} faces`);

    // "Not this person" on one face, then undo.
    await page.getByRole('link', { name: 'Open Alice Example' }).click();
    await page.getByRole('heading', { name: 'Alice Example' }).waitFor();
    await page.getByRole('tab', { name: 'Faces' }).click(); // the person page opens on Photos; the tab is remembered
    const faces = page.getByRole('group', { name: 'Faces of Alice Example' }).getByRole('button');
    await expect.poll(() => faces.count()).toBe(alice.faceCount);
    await faces.first().click();
    await page.getByRole('button', { name: 'Not this person' }).click();
    await expect.poll(() => faces.count()).toBe(alice.faceCount - 1);
    await page.reload();
    await page.getByRole('heading', { name: 'Alice Example' }).waitFor();
    await expect.poll(() => faces.count()).toBe(alice.faceCount - 1);
    expect((await truth('people.faces', { personId: alice.id })).total).toBe(alice.faceCount - 1);
    await screenshot(page, 'person-after-reject');

    await page.getByRole('banner').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => faces.count()).toBe(alice.faceCount);
    await page.reload();
    await page.getByRole('heading', { name: 'Alice Example' }).waitFor();
    await expect.poll(() => faces.count()).toBe(alice.faceCount);
    expect((await truth('people.faces', { personId: alice.id })).total).toBe(alice.faceCount);
    await expectNamedControls();
    await screenshot(page, 'person');
  });

  test('Verify answers for two dropped photos, and "who is this?" for one', async () => {
    await open('#/verify');
    const drop = async (slot: number, rels: string[]) => {
      const files = rels.map((rel) => ({ name: path.basename(rel), b64: readFileSync(face(rel)).toString('base64') }));
      await page.locator(`[data-slot="${slot}"]`).evaluate((el, files) => {
        const dt = new DataTransfer();
        for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: 'image/jpeg' }));
        el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, files);
    };
    // Two files dropped at once fill both slots.
    await drop(0, ['Mary_Carey/Mary_Carey_0001.jpg', 'Mary_Carey/Mary_Carey_0003.jpg']);
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('same');
    await expect(page.getByAltText('Aligned face from Photo A').evaluate((img: HTMLImageElement) => img.naturalWidth)).resolves.toBe(112);
    await expect(page.getByAltText('Aligned face from Photo B').evaluate((img: HTMLImageElement) => img.naturalWidth)).resolves.toBe(112);
    const sameDistance = Number(await page.locator('[data-field="distance"]').textContent());
    // The verdict's probability agrees with it: a same-person pair is shown as more likely than not.
    const probability = Number((await page.locator('[data-field="probability"]').textContent())!.replace('%', ''));
    expect(probability).toBeGreaterThan(50);
    expect(probability).toBeLessThanOrEqual(100);

    await drop(1, ['Jon_Voight/Jon_Voight_0001.jpg']);
    await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict'), { timeout: 60_000 }).toBe('different');
    expect(Number(await page.locator('[data-field="distance"]').textContent())).toBeGreaterThan(sameDistance);
    await expectNamedControls();
    await screenshot(page, 'verify');

    // One photo alone: who is this? Jon Voight's other photos are in the library.
    await page.getByRole('button', { name: 'Clear Photo A' }).click();
    await page.getByRole('heading', { name: 'Who is this?' }).waitFor();
    // The first answer is the person who holds Jon Voight's faces in the catalog (found there, not in the UI).
    let jonsPerson: number | undefined;
    for (const p of (await truth('people.list', { includeHidden: true })).people) {
      const { faces } = await truth('people.faces', { personId: p.id, limit: 200 });
      if (faces.some((f: any) => f.path.includes('Jon_Voight'))) jonsPerson = p.id;
    }
    expect(jonsPerson).toBeDefined();
    const firstAnswer = page.locator('li').filter({ hasText: 'distance' }).first().getByRole('link');
    await expect(firstAnswer.getAttribute('href')).resolves.toBe(`#/people/${jonsPerson}`);
    await screenshot(page, 'verify-who-is-this');

    // A face from the app: "Verify face" on a person's page sends it to Verify, which says who it is.
    const alice = (await truth('people.list')).people.find((p: any) => p.name === 'Alice Example');
    await open(`#/people/${alice.id}`);
    await page.getByRole('group', { name: 'Faces of Alice Example' }).getByRole('button').first().click();
    await page.getByRole('button', { name: 'Verify face' }).click();
    await page.getByText('A face from the library').waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Who is this?' }).waitFor();
    await expect.poll(() => page.getByRole('listitem').filter({ hasText: 'distance' }).allTextContents()).toContainEqual(expect.stringContaining('Alice Example'));
  });

  test('the map draws one point per face', async () => {
    await open('#/map');
    const canvas = page.getByRole('img', { name: /Face map/ }).or(page.locator('canvas'));
    const faces = (await truth('library.status')).stats.faces;
    await expect.poll(() => page.locator('canvas').getAttribute('data-faces'), { timeout: 120_000 }).toBe(String(faces));
    await expect.poll(() => page.locator('canvas').getAttribute('data-points')).toBe(String(faces));
    // Coloured pixels really are on the canvas (not only counted).
    // Pixels read back through a 2D copy: the map draws with WebGL where it can.
    const coloured = await page.locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const copy = Object.assign(document.createElement('canvas'), { width: c.width, height: c.height });
      c.dispatchEvent(new Event('map:draw-now')); // a WebGL frame is readable only in the task that drew it
      copy.getContext('2d')!.drawImage(c, 0, 0);
      const d = copy.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (!(d[i] === 255 && d[i + 1] === 255 && d[i + 2] === 255)) n++;
      return n;
    });
    expect(coloured).toBeGreaterThanOrEqual(faces);
    await expect(canvas.first().isVisible()).resolves.toBe(true);

    // Hovering a dot shows that face's thumbnail.
    const dot = await page.locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const copy = Object.assign(document.createElement('canvas'), { width: c.width, height: c.height });
      c.dispatchEvent(new Event('map:draw-now')); // a WebGL frame is readable only in the task that drew it
      copy.getContext('2d')!.drawImage(c, 0, 0);
      const d = copy.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const dpr = c.width / c.getBoundingClientRect().width;
      for (let i = 0; i < d.length; i += 4) if (!(d[i] === 255 && d[i + 1] === 255 && d[i + 2] === 255)) return { x: ((i / 4) % c.width) / dpr + 2, y: Math.floor(i / 4 / c.width) / dpr + 2 };
      return null;
    });
    const box = (await page.locator('canvas').boundingBox())!;
    await page.mouse.move(box.x + dot!.x, box.y + dot!.y);
    await page.locator('.tip img').waitFor();
    await expect(page.locator('.tip img').evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).resolves.toBeGreaterThan(0);
    await screenshot(page, 'map');

    // A lasso around the whole map selects every face.
    await page.getByRole('button', { name: 'Lasso' }).click();
    await page.mouse.move(box.x + 4, box.y + 4);
    await page.mouse.down();
    for (const [x, y] of [[box.width - 4, 4], [box.width - 4, box.height - 4], [4, box.height - 4], [4, 6]]) await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
    await page.mouse.up();
    await page.getByText(`${faces} faces selected`).waitFor();
    await expectNamedControls();
    await screenshot(page, 'map-lasso');
  });

  test('Unassigned, Personalise and Settings render; the doctor reports the backend', async () => {
    await open('#/unassigned');
    await page.getByRole('heading', { name: 'Unassigned' }).waitFor();
    const waiting = (await truth('people.unassigned', { limit: 1 })).total;
    await expect.poll(() => page.getByText(`${waiting} face${waiting === 1 ? '' : 's'} waiting`).count()).toBe(1);
    await expectNamedControls();
    await screenshot(page, 'unassigned');

    await open('#/settings');
    await page.getByRole('button', { name: 'Run doctor' }).click();
    await page.getByText(/Backend (onnxruntime|wasm|cpu|tensorflow)/).waitFor({ timeout: 60_000 });
    await expectNamedControls();
    await screenshot(page, 'settings');

    // Training learns from confirmed faces: besides Alice, name one more person (setup through the API).
    const other = (await truth('people.list')).people.find((p: any) => p.name === null);
    await truth('people.rename', { personId: other.id, name: 'Bob Example' });
    await open('#/personalise');
    await page.getByLabel('Softmax + center loss').check();
    await page.getByLabel('Steps').fill('40');
    await page.getByRole('button', { name: 'Train' }).click();
    const outcome = page.getByRole('heading', { name: 'Before and after' }).or(page.locator('main p.error'));
    await outcome.first().waitFor({ timeout: 120_000 });
    await expect(page.locator('main p.error').count(), await page.locator('main').innerText()).resolves.toBe(0);
    await expect(page.getByRole('img', { name: /Loss curve: 40 steps/ }).count()).resolves.toBe(1);
    const adopted = (await truth('train.status')).adoptedAdapterId !== null;
    await expect(page.locator('[data-adopted]').getAttribute('data-adopted')).resolves.toBe(String(adopted));
    await expectNamedControls();
    await screenshot(page, 'personalise');
  });

  test('dark theme follows the OS, and no page error or CSP violation happened', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await open('#/people');
    await page.getByRole('list', { name: 'People' }).waitFor();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(21, 24, 28)');
    await screenshot(page, 'people-dark');
    expect(problems).toEqual([]);
  });
});
