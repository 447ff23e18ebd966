// Faces drawn by hand in the photo viewer and a person's photo list downloaded from their page, end to end in
// chromium over web mode and real photos: "Add a face" (button or F), Escape, a box too small, a box drawn
// with the mouse that becomes a face (embedded, named from its panel, undone from the toast, removed and
// restored), the same on a photo stored sideways (EXIF orientation 6) while zoomed in, and "Export…" whose
// CSV and JSON downloads are checked against the catalog (a real SQLite file).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Box } from '../../main/engine/face/types.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';
import { hasChromium, noChromiumReason, screenshot, startWebApp, unnamedControls, type WebApp } from './harness.ts';

const skip = !hasFaces || !hasChromium;
if (skip) console.warn(!hasFaces ? noFacesReason : noChromiumReason);

const iou = (a: Box, b: Box): number => {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
};
const l2 = (a: Float32Array, b: Float32Array): number => Math.sqrt(a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0));
/** A box as a hand draws it around a face: looser than the detector's. */
const loose = (b: Box, k = 0.15): Box => ({ x: b.x - k * b.width, y: b.y - k * b.height, width: (1 + 2 * k) * b.width, height: (1 + 2 * k) * b.height });

describe.skipIf(skip)('faces drawn by hand and photo lists, in chromium', () => {
  let tmp: string;
  let app: WebApp;
  const viewer = () => app.page.getByRole('dialog', { name: 'Photo viewer' });
  const panel = () => viewer().getByRole('dialog', { name: 'Face' });
  const toast = () => viewer().getByTestId('toast');
  const photoOf = (name: string) => app.api.catalog.photos.list({ status: 'ok' }).find((p) => path.basename(p.path) === name)!;
  const facesOf = (name: string) => app.api.catalog.faces.ofPhoto(photoOf(name).id);
  const manualOf = (name: string) => facesOf(name).filter((f) => f.source === 'manual');

  /** Screen point of a photo pixel (upright), read from where the viewer shows the photo now (zoom and pan included). */
  async function screenOf(photo: { width: number | null; height: number | null }, x: number, y: number): Promise<[number, number]> {
    const r = (await viewer().locator('.layer').boundingBox())!;
    return [r.x + (x / photo.width!) * r.width, r.y + (y / photo.height!) * r.height];
  }

  /** Drags a box with the mouse from one photo pixel to another; `before` runs while the button is still down. */
  async function drawBox(name: string, box: Box, before?: () => Promise<void>): Promise<void> {
    const p = photoOf(name);
    const [x0, y0] = await screenOf(p, box.x, box.y);
    const [x1, y1] = await screenOf(p, box.x + box.width, box.y + box.height);
    await app.page.mouse.move(x0, y0);
    await app.page.mouse.down();
    await app.page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, { steps: 4 });
    await app.page.mouse.move(x1, y1, { steps: 4 });
    await before?.();
    await app.page.mouse.up();
  }

  async function openPhoto(name: string): Promise<void> {
    await app.page.goto(`${app.server.url}#/library`);
    await app.page.getByRole('list', { name: 'Photo folders' }).getByRole('button', { name: /^photos\/groups / }).click();
    const tile = app.page.getByRole('group', { name: 'Photos in photos/groups' }).locator(`[data-photo-id="${photoOf(name).id}"]`);
    await tile.click();
    await expect.poll(() => viewer().getAttribute('data-photo-id').then(Number)).toBe(photoOf(name).id);
    await expect.poll(() => viewer().locator('img.full').evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
  }

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-manual-e2e-'));
    const lib = path.join(tmp, 'photos');
    for (const rel of ['groups/bbt1.jpg', 'Rose_Leslie/Rose_Leslie_0001.jpg', 'Rose_Leslie/Rose_Leslie_0002.jpg']) {
      mkdirSync(path.dirname(path.join(lib, rel)), { recursive: true });
      copyFileSync(face(rel), path.join(lib, rel));
    }
    // kit_with_rose.jpg stored sideways with EXIF orientation 6, as a phone writes a portrait shot.
    await sharp(face('groups/kit_with_rose.jpg')).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(path.join(lib, 'groups', 'kit_rot6.jpg'));
    app = await startWebApp(path.join(tmp, 'catalog.db'));
    await app.truth('library.addFolder', { path: lib });
    await app.api.library.idle();
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('a face drawn in the viewer becomes a face: named from its panel, undone from the toast, removed and restored', async () => {
    const bbt = photoOf('bbt1.jpg');
    const howard = facesOf('bbt1.jpg').sort((a, b) => a.box.x - b.box.x)[2];
    // The user ignored the detector's box of Howard (it cut his hair off, say) and draws their own.
    await app.truth('people.ignore', { faceIds: [howard.id] });
    await openPhoto('bbt1.jpg');
    await expect.poll(() => viewer().locator('.box').count()).toBe(facesOf('bbt1.jpg').length - 1);
    const add = viewer().getByRole('button', { name: 'Add a face', exact: true });

    // F starts drawing, Escape leaves it (the viewer stays open).
    await app.page.keyboard.press('f');
    await expect.poll(() => add.getAttribute('aria-pressed')).toBe('true');
    await viewer().getByText('Drag a box around the face, or press Enter.').waitFor();
    expect(await unnamedControls(app.page)).toEqual([]);
    await screenshot(app.page, 'manual-face-drawing-mode');
    await app.page.keyboard.press('Escape');
    await expect.poll(() => add.getAttribute('aria-pressed')).toBe('false');
    expect(await viewer().isVisible()).toBe(true);

    // A box too small is refused with the reason; nothing is stored and drawing goes on.
    const decisions = app.api.catalog.decisions.list({ includeUndone: true }).length;
    await add.click();
    await drawBox('bbt1.jpg', { x: 300, y: 500, width: 8, height: 8 });
    await viewer().getByRole('status').filter({ hasText: /the box is too small: a face needs at least 12 px/ }).waitFor();
    expect(facesOf('bbt1.jpg').length).toBe(4);
    expect(app.api.catalog.decisions.list({ includeUndone: true }).length).toBe(decisions);
    await screenshot(app.page, 'manual-face-too-small');

    // The box drawn around Howard's face becomes a face with his embedding, in the photo's pixels.
    const drawn = loose(howard.box);
    await drawBox('bbt1.jpg', drawn, () => screenshot(app.page, 'manual-face-drawn-box').then(() => undefined));
    await expect.poll(() => manualOf('bbt1.jpg').length, { timeout: 30_000 }).toBe(1);
    const first = manualOf('bbt1.jpg')[0];
    expect(iou(first.box, drawn)).toBeGreaterThan(0.97);
    expect(l2(first.embedding, howard.embedding)).toBeLessThan(0.5);
    expect(app.api.catalog.decisions.last()!.kind).toBe('add-face');
    // Its panel opens to name it; the toast says what happened and offers Undo.
    await panel().getByText('Who is this?').waitFor();
    await expect.poll(() => panel().getByRole('combobox', { name: 'Name this face' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await toast().getByText('Added a face to bbt1.jpg.').waitFor();
    expect(await viewer().locator(`.box[data-face-id="${first.id}"]`).getAttribute('aria-label')).toBe('Unassigned face');
    expect(await unnamedControls(app.page)).toEqual([]);
    await screenshot(app.page, 'manual-face-panel');

    // Undo in the toast takes the face back out of the catalog and off the photo.
    await toast().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => manualOf('bbt1.jpg').length).toBe(0);
    await expect.poll(() => viewer().locator(`.box[data-face-id="${first.id}"]`).count()).toBe(0);
    await toast().getByText('Undid: Added a face to bbt1.jpg').waitFor();

    // Drawn again and named in its panel (a new name): a new person, a confirmed face.
    await app.page.keyboard.press('f');
    await drawBox('bbt1.jpg', drawn);
    await expect.poll(() => manualOf('bbt1.jpg').length, { timeout: 30_000 }).toBe(1);
    const second = manualOf('bbt1.jpg')[0];
    const name = panel().getByRole('combobox', { name: 'Name this face' });
    await name.fill('Howard Example');
    await name.press('Enter');
    await expect.poll(() => viewer().locator(`.box[data-face-id="${second.id}"]`).getAttribute('aria-label')).toBe('Face of Howard Example');
    const assignment = app.api.catalog.people.assignment(second.id)!;
    expect(assignment.source).toBe('user');
    expect(app.api.catalog.people.get(assignment.personId)!.name).toBe('Howard Example');
    // One edit (a new person with that name), which the toast can undo.
    expect(app.api.catalog.decisions.last()!.kind).toBe('move');
    await toast().getByText('This face is now Howard Example.').waitFor();
    expect(await toast().getByRole('button', { name: 'Undo' }).count()).toBe(1);

    // "Remove this face" is offered for faces drawn by hand only.
    const detected = facesOf('bbt1.jpg').find((f) => f.source === 'detector' && f.id !== howard.id)!;
    await viewer().locator(`.box[data-face-id="${detected.id}"]`).click();
    await panel().waitFor();
    expect(await panel().getByRole('button', { name: 'Remove this face' }).count()).toBe(0);
    await viewer().locator(`.box[data-face-id="${second.id}"]`).click();
    await panel().getByText('Howard Example').first().waitFor();
    await panel().getByRole('button', { name: 'Remove this face' }).click();
    await expect.poll(() => app.api.catalog.faces.get(second.id)).toBeUndefined();
    await toast().getByText('Removed a face of Howard Example from bbt1.jpg.').waitFor();
    await screenshot(app.page, 'manual-face-removed-toast');
    await toast().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => app.api.catalog.faces.get(second.id)?.source).toBe('manual');
    expect(app.api.catalog.people.assignment(second.id)).toMatchObject({ personId: assignment.personId, source: 'user' });
    await expect.poll(() => viewer().locator(`.box[data-face-id="${second.id}"]`).getAttribute('aria-label')).toBe('Face of Howard Example');
    expect(bbt.id).toBe(photoOf('bbt1.jpg').id);
    await app.page.keyboard.press('Escape');
    await app.page.keyboard.press('Escape');
    expect(app.problems).toEqual([]);
  });

  test('by keyboard: F, Enter places a box in the middle of the view, arrows move it, Shift+arrows size it, Enter adds it; Ctrl+Z takes it back', async () => {
    const bbt = photoOf('bbt1.jpg');
    await openPhoto('bbt1.jpg');
    const before = manualOf('bbt1.jpg').map((f) => f.id);
    await app.page.keyboard.press('f');
    await app.page.keyboard.press('Enter');
    await viewer().getByText('Arrow keys move the box').waitFor();
    // The whole photo is in view: the box is a quarter of its height, in its middle.
    const side = Math.min(bbt.width!, bbt.height!) / 4;
    for (let i = 0; i < 3; i++) await app.page.keyboard.press('ArrowRight');
    for (let i = 0; i < 2; i++) await app.page.keyboard.press('Shift+ArrowRight');
    await screenshot(app.page, 'manual-face-keyboard-box');
    await app.page.keyboard.press('Enter');
    await expect.poll(() => manualOf('bbt1.jpg').length, { timeout: 30_000 }).toBe(before.length + 1);
    const added = manualOf('bbt1.jpg').find((f) => !before.includes(f.id))!;
    const expected = { x: bbt.width! / 2 - side / 2 + 3 * side / 10, y: bbt.height! / 2 - side / 2, width: side * 1.2, height: side };
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(added.box[k] - expected[k])).toBeLessThan(0.5);
    // Ctrl+Z (the app's undo) works in the viewer, once out of the name box (where it undoes typing).
    await toast().getByText('Added a face to bbt1.jpg').waitFor();
    await panel().waitFor();
    // Escape closes the name suggestions first (when shown), then the panel.
    for (let i = 0; i < 2 && (await panel().count()); i++) await app.page.keyboard.press('Escape');
    await expect.poll(() => panel().count()).toBe(0);
    expect(await viewer().isVisible()).toBe(true);
    await app.page.keyboard.press('Control+z');
    await expect.poll(() => app.api.catalog.faces.get(added.id)).toBeUndefined();
    await toast().getByText('Undid: Added a face to bbt1.jpg').waitFor();
    await app.page.keyboard.press('Escape');
    expect(app.problems).toEqual([]);
  });

  test('on a photo stored sideways (EXIF orientation 6), zoomed in, the box lands on the face drawn around', async () => {
    const kit = photoOf('kit_rot6.jpg');
    expect(kit.orientation).toBe(6);
    expect([kit.width, kit.height]).toEqual([501, 700]); // upright
    const rose = facesOf('kit_rot6.jpg').sort((a, b) => a.box.x - b.box.x)[0];
    await app.truth('people.ignore', { faceIds: [rose.id] });
    await openPhoto('kit_rot6.jpg');
    // Zoom in on Rose's face with the wheel (it zooms where the pointer is).
    const [cx, cy] = await screenOf(kit, rose.box.x + rose.box.width / 2, rose.box.y + rose.box.height / 2);
    await app.page.mouse.move(cx, cy);
    await app.page.mouse.wheel(0, -400);
    await expect.poll(() => viewer().locator('.zoom').textContent().then((t) => parseInt(t ?? '0', 10))).toBeGreaterThan(150);
    await viewer().getByRole('button', { name: 'Add a face', exact: true }).click();
    const drawn = loose(rose.box, 0.1);
    await drawBox('kit_rot6.jpg', drawn);
    await expect.poll(() => manualOf('kit_rot6.jpg').length, { timeout: 30_000 }).toBe(1);
    const added = manualOf('kit_rot6.jpg')[0];
    expect(iou(added.box, drawn)).toBeGreaterThan(0.95);
    // It is Rose: the face drawn was embedded where it was drawn, in the upright photo.
    expect(l2(added.embedding, rose.embedding)).toBeLessThan(0.5);
    await panel().waitFor();
    // Named through the name box's suggestions: the person Rose's other photos are in.
    const roseFaces = ['Rose_Leslie_0001.jpg', 'Rose_Leslie_0002.jpg'].map((n) => facesOf(n)[0].id);
    const { personId: roseId } = await app.truth('people.moveFaces', { faceIds: roseFaces, toPersonId: null, name: 'Rose Leslie' });
    const box = panel().getByRole('combobox', { name: 'Name this face' });
    await box.fill('ros');
    await panel().getByRole('option', { name: /Rose Leslie/ }).waitFor();
    await screenshot(app.page, 'manual-face-autocomplete');
    await panel().getByRole('option', { name: /Rose Leslie/ }).click();
    await expect.poll(() => app.api.catalog.people.assignment(added.id)?.personId).toBe(roseId);
    expect(app.api.catalog.people.assignment(added.id)!.source).toBe('user');
    await expect.poll(() => viewer().locator(`.box[data-face-id="${added.id}"]`).getAttribute('aria-label')).toBe('Face of Rose Leslie');
    await panel().getByText('Rose Leslie').first().waitFor(); // the panel stays open on the face
    // Its crop is cut from the upright photo like any face's and shows in the details.
    expect(await app.api.thumbnail('face', added.id)).toMatch(/\.webp$/);
    await expect.poll(() => viewer().getByRole('complementary', { name: 'Details' }).locator(`img[src*="/face/${added.id}"]`).evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
    await screenshot(app.page, 'manual-face-rotated-zoomed');
    await app.page.keyboard.press('Escape');
    await app.page.keyboard.press('Escape');
    expect(app.problems).toEqual([]);
  });

  test('"Export…" on the person page downloads their photo list, CSV and JSON, as the catalog has it', async () => {
    const person = app.api.catalog.people.all().find((p) => p.name === 'Howard Example')!;
    await app.page.goto(`${app.server.url}#/people/${person.id}`);
    await app.page.getByRole('heading', { name: 'Howard Example' }).waitFor();
    const button = app.page.getByRole('button', { name: 'Export…' });
    await button.click();
    const menu = app.page.getByRole('menu', { name: 'Export the photo list' });
    await menu.waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await unnamedControls(app.page)).toEqual([]);
    await screenshot(app.page, 'person-export-menu');
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(app.page, 'person-export-menu-dark');
    await app.page.emulateMedia({ colorScheme: 'light' });
    // Escape closes it and gives the focus back to the button.
    await app.page.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);
    expect(await app.page.evaluate(() => document.activeElement?.id)).toBe('export-person');

    // The truth, from the catalog's assignments, faces and photos.
    const rows = app.api.catalog.people.assignmentsOf(person.id).map((a) => {
      const f = app.api.catalog.faces.get(a.faceId)!;
      return { f, photo: app.api.catalog.photos.get(f.photoId)!, confirmed: a.source === 'user' };
    });
    expect(rows.length).toBe(1);

    const download = async (label: RegExp) => {
      await button.click();
      const [file] = await Promise.all([app.page.waitForEvent('download'), menu.getByRole('menuitem', { name: label }).click()]);
      return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
    };
    const csv = await download(/^CSV/);
    expect(csv.name).toBe('Howard Example - photos.csv');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('path,taken_at,photo_id,face_id,x,y,width,height,confirmed,person_id,person_name');
    expect(lines.slice(1)).toEqual(rows.map(({ f, photo, confirmed }) => [photo.path, photo.takenAt === null ? '' : new Date(photo.takenAt).toISOString(), photo.id, f.id,
      Math.round(f.box.x), Math.round(f.box.y), Math.round(f.box.width), Math.round(f.box.height), confirmed, person.id, 'Howard Example'].join(',')));
    await app.page.getByTestId('toast').getByText('Exported 1 photo of Howard Example: Howard Example - photos.csv').waitFor();
    await expect.poll(() => app.page.getByTestId('toast').evaluate((el) => el.getAnimations().length)).toBe(0);
    await screenshot(app.page, 'person-export-toast');

    const json = await download(/^JSON/);
    expect(json.name).toBe('Howard Example - photos.json');
    expect(JSON.parse(json.text)).toEqual({
      person: { id: person.id, name: 'Howard Example' },
      photos: rows.map(({ f, photo, confirmed }) => ({ path: photo.path, photoId: photo.id, faceId: f.id, box: f.box, confirmed, takenAt: photo.takenAt })),
    });
    expect(app.problems).toEqual([]);
  });
});
