// Corrections that are safe and fast (issue 13), in a real browser over web mode and a temp library of real
// photos: first run (welcome, folder browser, explained empty views), merge confirmation with Cancel, the
// toast's Undo, rename focus, name autocomplete that merges instead of duplicating, "Ignore face" across a
// reload, bulk selection, Settings that save numbers and empty values (and the CLI's `cluster` uses them),
// and the undo history. Each state leaves a screenshot in test-artifacts/e2e/.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { runCli } from '../helpers/cli.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';
import { hasChromium, noChromiumReason, screenshot, startWebApp, unnamedControls, type WebApp } from './harness.ts';
import { buildLibrary } from './library.ts';

const PHOTOS = [
  'Mary_Carey/Mary_Carey_0001.jpg', 'Mary_Carey/Mary_Carey_0002.jpg', 'Mary_Carey/Mary_Carey_0003.jpg', 'Mary_Carey/Mary_Carey_0004.jpg',
  'Jon_Voight/Jon_Voight_0001.jpg', 'Jon_Voight/Jon_Voight_0002.jpg', 'Jon_Voight/Jon_Voight_0003.jpg',
  'Jack_Dorsey/Jack_Dorsey_0001.jpg', 'Jack_Dorsey/Jack_Dorsey_0002.jpg', 'Jack_Dorsey/Jack_Dorsey_0003.jpg',
  'groups/bbt3.jpg', 'groups/kit_with_rose.jpg',
];

const skip = !hasFaces || !hasChromium;
if (skip) console.warn(!hasFaces ? noFacesReason : noChromiumReason);

describe.skipIf(skip)('corrections in chromium', () => {
  let tmp: string;
  let dbFile: string;
  let app: WebApp;
  let page: Page;
  const home = process.env.HOME;
  const truth = (method: string, params: unknown = {}): Promise<any> => app.truth(method, params);
  const open = (hash: string) => page.goto(`${app.server.url}${hash}`);
  const focused = () => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el ? { tag: el.tagName, id: el.id, label: el.getAttribute('aria-label'), text: el.textContent?.trim() ?? '' } : null;
  });
  const expectNamedControls = async (): Promise<void> => expect(await unnamedControls(page)).toEqual([]);
  const personCard = (id: number) => page.locator(`[data-person-id="${id}"]`);
  /** A screenshot once transitions (toast, dialog) have settled. */
  const shot = async (name: string): Promise<void> => {
    await page.waitForTimeout(300);
    await screenshot(page, name);
  };

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-corrections-'));
    buildLibrary(path.join(tmp, 'photos'), PHOTOS);
    // The folder browser starts at the user's home: here, the temp folder.
    process.env.HOME = tmp;
    dbFile = path.join(tmp, 'catalog.db');
    app = await startWebApp(dbFile);
    page = app.page;
  });

  afterAll(async () => {
    process.env.HOME = home;
    await app?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('first run: a welcome, a skip link, and empty Map and Personalise views that explain', async () => {
    await open('#/library');
    await page.getByRole('heading', { name: 'Welcome to FaceAtlas' }).waitFor();
    await page.keyboard.press('Tab');
    expect((await focused())?.text).toBe('Skip to content');
    await shot('first-run-skip-link');
    await page.keyboard.press('Enter');
    expect((await focused())?.id).toBe('content');
    await expectNamedControls();
    await shot('first-run-welcome');

    await open('#/map');
    await page.getByRole('heading', { name: 'No faces to map yet' }).waitFor({ timeout: 60_000 });
    await shot('empty-map');
    await open('#/personalise');
    await page.getByRole('heading', { name: 'Name a few people first' }).waitFor();
    await expect(page.getByRole('button', { name: 'Train' }).isDisabled()).resolves.toBe(true);
    await shot('empty-personalise');
  });

  test('"Add a folder" opens a folder browser at home; the summary is live and ends with a link to People', async () => {
    await open('#/library');
    await page.getByRole('button', { name: 'Add a folder' }).click();
    const dialog = page.getByRole('dialog', { name: 'Choose a photo folder' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'photos', exact: true }).waitFor();
    await expectNamedControls();
    await shot('folder-browser');
    await dialog.getByRole('button', { name: 'photos', exact: true }).click();
    await dialog.getByRole('button', { name: 'Mary_Carey', exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Add this folder' }).click();
    await page.locator('[data-phase="done"][data-running="false"]').waitFor({ timeout: 240_000 });
    const stats = (await truth('library.status')).stats;
    await expect.poll(() => page.getByTestId('library-summary').textContent()).toContain(`Library: ${stats.photos} photos, ${stats.faces} faces, ${stats.people} people.`);
    const link = page.getByRole('link', { name: `See the ${stats.people} people found` });
    await link.waitFor();
    await shot('library-indexed');
    await link.click();
    await page.getByRole('heading', { name: 'People' }).waitFor();
    expect((await truth('library.status')).folders.map((f: any) => f.path)).toEqual([path.join(tmp, 'photos')]);
  });

  test('merging asks first, naming both people with their face counts; Cancel leaves both intact', async () => {
    const [a, b] = (await truth('people.list')).people;
    await truth('people.rename', { personId: a.id, name: 'Alice Doe' });
    await truth('people.rename', { personId: b.id, name: 'Bob Roe' });
    await open('#/people');
    await page.getByLabel('Select Alice Doe').check();
    await page.getByLabel('Select Bob Roe').check();
    await page.getByRole('button', { name: 'Merge selected (2)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge Bob Roe into Alice Doe?' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain(`Bob Roe (${b.faceCount} faces) will join Alice Doe (${a.faceCount} faces)`);
    expect((await focused())?.text).toBe('Cancel');
    await shot('merge-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const after = (await truth('people.list')).people;
    expect(after.find((p: any) => p.id === a.id)?.faceCount).toBe(a.faceCount);
    expect(after.find((p: any) => p.id === b.id)?.faceCount).toBe(b.faceCount);
    // Escape cancels as well.
    await page.getByRole('button', { name: 'Merge selected (2)' }).click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await truth('people.list')).people).toHaveLength(after.length);
  });

  test("a merge reports in a toast, and the toast's Undo restores both people", async () => {
    const before = (await truth('people.list')).people;
    const a = before.find((p: any) => p.name === 'Alice Doe');
    const b = before.find((p: any) => p.name === 'Bob Roe');
    await page.getByRole('button', { name: 'Merge selected (2)' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Merge', exact: true }).click();
    const toast = page.getByTestId('toast');
    await expect.poll(() => toast.textContent()).toContain(`Merged Bob Roe (${b.faceCount} faces) into Alice Doe (${a.faceCount} faces)`);
    await expect.poll(async () => (await truth('people.list')).people.length).toBe(before.length - 1);
    await shot('toast-after-merge');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => toast.textContent()).toContain('Undid: Merged Bob Roe');
    const restored = (await truth('people.list')).people;
    expect(restored.find((p: any) => p.id === a.id)?.faceCount).toBe(a.faceCount);
    expect(restored.find((p: any) => p.id === b.id)?.faceCount).toBe(b.faceCount);
    await personCard(b.id).waitFor();
    await shot('toast-after-undo');
  });

  test('after a rename, focus is on the renamed person\'s name', async () => {
    await open('#/people');
    await page.getByRole('button', { name: 'Rename Alice Doe' }).click();
    const input = page.getByRole('combobox', { name: 'Name' });
    await input.fill('Alice Smith');
    await input.press('Enter');
    await page.getByRole('button', { name: 'Rename Alice Smith' }).waitFor();
    await expect.poll(async () => (await focused())?.label).toBe('Rename Alice Smith');
    await expect.poll(() => page.getByTestId('toast').textContent()).toContain('Renamed Alice Doe to Alice Smith');
    // On the person's page too: focus returns to the Rename button, not the page body.
    const alice = (await truth('people.list')).people.find((p: any) => p.name === 'Alice Smith');
    await open(`#/people/${alice.id}`);
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await page.getByRole('combobox', { name: 'Name' }).fill('Alice Doe');
    await page.getByRole('combobox', { name: 'Name' }).press('Enter');
    await page.getByRole('heading', { name: 'Alice Doe' }).waitFor();
    await expect.poll(async () => (await focused())?.id).toBe('rename-person');
    // Its "maybe the same person" list (on the Faces tab) speaks in calibrated words; the distance waits under Advanced.
    await page.getByRole('tab', { name: 'Faces' }).click();
    await page.getByRole('heading', { name: 'Maybe the same person' }).waitFor();
    await expect(page.locator('.suggestions .likelihood').first().textContent()).resolves.toMatch(/^(Very likely|Possible|Unlikely) \([<>]?\d+%\)$/);
    await expect(page.locator('.suggestions details').first().evaluate((d: HTMLDetailsElement) => d.open)).resolves.toBe(false);
    await shot('person-suggestions');
  });

  test('autocomplete offers an existing name, and choosing it merges instead of making a duplicate', async () => {
    const alice = (await truth('people.list')).people.find((p: any) => p.name === 'Alice Doe');
    const two = (await truth('people.faces', { personId: alice.id, limit: 2 })).faces.map((f: any) => f.faceId);
    const split = await truth('people.moveFaces', { faceIds: two, toPersonId: null });
    await open('#/people');
    // A person of two faces is folded under "Seen only a few times".
    await page.getByText(/^Seen only a few times: /).click();
    await personCard(split.personId).getByRole('button', { name: 'Rename Unnamed' }).click();
    const input = page.getByRole('combobox', { name: 'Name' });
    await input.fill('ali');
    const option = page.getByRole('option', { name: /Merge with the existing Alice Doe/ });
    await option.waitFor();
    await expect(input.getAttribute('aria-expanded')).resolves.toBe('true');
    await expectNamedControls();
    await shot('autocomplete');
    await option.click();
    await expect.poll(() => page.getByTestId('toast').textContent()).toContain(`Merged an unnamed person (2 faces) into Alice Doe (${alice.faceCount - 2} faces)`);
    const people = (await truth('people.list', { includeHidden: true })).people;
    expect(people.filter((p: any) => p.name === 'Alice Doe')).toHaveLength(1);
    expect(people.find((p: any) => p.id === split.personId)).toBeUndefined();
    expect(people.find((p: any) => p.id === alice.id)?.faceCount).toBe(alice.faceCount);
    await expect.poll(async () => (await focused())?.label).toBe('Rename Alice Doe');
  });

  test('"Ignore face" removes a face from Unassigned, survives a reload and is listed under Ignored', async () => {
    // A face of a known person waiting in Unassigned (ignored, then restored): it is offered that person.
    const known = (await truth('people.list')).people.find((p: any) => p.name === null);
    const knownFace = (await truth('people.faces', { personId: known.id, limit: 1 })).faces[0].faceId;
    await truth('people.ignore', { faceIds: [knownFace] });
    await truth('people.unignore', { faceIds: [knownFace] });
    await open('#/unassigned');
    await page.getByRole('heading', { name: 'Unassigned' }).waitFor();
    const before = await truth('people.unassigned', { limit: 500 });
    const offered = before.faces.find((f: any) => f.faceId === knownFace);
    expect(offered.suggestions[0]).toMatchObject({ personId: known.id, likelihood: 'very likely' });
    await expect.poll(() => page.locator(`[data-face-id="${knownFace}"]`).textContent()).toMatch(/Very likely \(>?\d+%\)/);
    await expect(page.locator(`[data-face-id="${knownFace}"] .suggestion`).first().getAttribute('title')).resolves.toMatch(/chance it is the same person.*Advanced: L2 distance \d\.\d{3}/);
    expect(before.total).toBeGreaterThan(2);
    // Only plausible people are offered, in words; no raw distance on the page.
    for (const f of before.faces) for (const s of f.suggestions) expect(s.likelihood).not.toBe('unlikely');
    await expect(page.locator('main').innerText()).resolves.not.toMatch(/distance/i);
    await expectNamedControls();
    await shot('unassigned-words');
    const id = before.faces.find((f: any) => f.faceId !== knownFace).faceId;
    await page.getByRole('button', { name: `Ignore face ${id}`, exact: true }).click();
    await expect.poll(() => page.getByTestId('toast').textContent()).toContain('Ignored 1 face');
    await expect.poll(() => page.locator(`[data-face-id="${id}"]`).count()).toBe(0);
    await page.reload();
    await page.getByTestId('unassigned-count').filter({ hasText: `${before.total - 1} faces waiting` }).waitFor();
    expect(await page.locator(`[data-face-id="${id}"]`).count()).toBe(0);
    expect((await truth('people.unassigned', { limit: 1 })).total).toBe(before.total - 1);
    await page.getByRole('button', { name: 'Ignored', exact: true }).click();
    await page.getByRole('button', { name: `Restore face ${id}` }).waitFor();
    await shot('unassigned-ignored-filter');
  });

  test('several faces can be selected and ignored at once; Undo brings them back', async () => {
    await page.getByRole('button', { name: 'Waiting', exact: true }).click();
    const before = await truth('people.unassigned', { limit: 500 });
    const [f1, f2] = before.faces;
    await page.getByLabel(`Select face ${f1.faceId}`, { exact: true }).check();
    await page.getByLabel(`Select face ${f2.faceId}`, { exact: true }).check();
    const bar = page.getByRole('toolbar', { name: 'Selected faces' });
    await expect.poll(() => bar.textContent()).toContain('2 faces selected');
    await shot('unassigned-bulk');
    await bar.getByRole('button', { name: 'Ignore faces' }).click();
    await expect.poll(() => page.getByTestId('toast').textContent()).toContain('Ignored 2 faces');
    expect((await truth('people.unassigned', { limit: 1 })).total).toBe(before.total - 2);
    await page.getByTestId('toast').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(async () => (await truth('people.unassigned', { limit: 1 })).total).toBe(before.total);
  });

  test('Settings show the value in use, save 0.75 and an empty value; face-atlas cluster then uses what was saved', async () => {
    await open('#/settings');
    const help = page.getByTestId('threshold-effective');
    await expect.poll(() => help.textContent()).toContain('In use: 0.8 (default). Model default: 0.8');
    await page.getByLabel('Same-person threshold').fill('0.75');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => help.textContent()).toContain('In use: 0.75.');
    await expect(page.locator('footer.error').count()).resolves.toBe(0);
    await expect.poll(() => page.getByTestId('toast').textContent()).toContain('Settings saved');
    expect((await truth('settings.get')).threshold).toBe(0.75);
    await shot('settings-saved');
    const cluster = await runCli(['cluster', '--db', dbFile, '--json']);
    expect(cluster.code, cluster.stderr).toBe(0);
    expect(cluster.json.threshold).toBe(0.75);

    await page.getByLabel('Same-person threshold').fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => help.textContent()).toContain('In use: 0.8 (default)');
    expect((await truth('settings.get')).threshold).toBeNull();
    await expect(page.locator('footer.error').count()).resolves.toBe(0);
    expect((await runCli(['cluster', '--db', dbFile, '--json'])).json.threshold).toBe(0.8);
    await shot('settings-default');
  });

  test('the undo history lists recent edits in plain words; navigation puts focus on the view heading', async () => {
    await open('#/people');
    await page.getByRole('button', { name: 'History' }).click();
    const panel = page.getByRole('region', { name: 'Recent edits' });
    await panel.waitFor();
    const edits = (await truth('people.history')).edits;
    await expect.poll(() => panel.getByRole('listitem').count()).toBe(edits.length);
    await expect(panel.getByRole('listitem').first().textContent()).resolves.toContain(edits[0].summary);
    await expectNamedControls();
    await shot('undo-history');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Unassigned', exact: true }).click();
    await expect.poll(async () => (await focused())?.text).toBe('Unassigned');
  });

  test('a changed photo that lost a named face is in the history as a record without Undo; Undo reverts the last edit', async () => {
    const { catalog } = app.api;
    // A face the user named, in a photo of its own.
    const named = (await truth('people.list')).people.find((p: { name: string | null }) => p.name)!;
    const faceId = catalog.people.assignmentsOf(named.id).find((a) => a.source === 'user')!.faceId;
    const photo = catalog.photos.get(catalog.faces.get(faceId)!.photoId)!;
    // The user's last edit, then the photo replaced by another picture under the same name and read again.
    const other = (await truth('people.list')).people.find((p: { id: number; name: string | null }) => p.id !== named.id && !p.name)!;
    await truth('people.rename', { personId: other.id, name: 'Newest Edit' });
    copyFileSync(face('Tom_Jones/Tom_Jones_0001.jpg'), photo.path);
    await truth('library.rescan');
    await expect.poll(async () => (await truth('people.history')).edits[0].kind, { timeout: 60_000 }).toBe('reindex-removed-faces');
    const [record, rename] = (await truth('people.history')).edits;
    expect(record).toMatchObject({ undoable: false, summary: `${path.basename(photo.path)} changed and was read again: 1 named face no longer found (cannot be undone)` });
    expect(rename).toMatchObject({ kind: 'rename', undoable: true });

    await open('#/people');
    await page.getByRole('button', { name: 'History' }).click();
    const items = page.getByRole('region', { name: 'Recent edits' }).getByRole('listitem');
    await expect.poll(() => items.first().textContent()).toContain('changed and was read again');
    expect(await items.first().getByRole('button').count()).toBe(0);
    await expect(items.nth(1).getByRole('button', { name: 'Undo: Named a person Newest Edit' }).count()).resolves.toBe(1);
    await shot('undo-history-reindex-record');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(() => catalog.people.get(other.id)?.name ?? null).toBeNull();
  });

  test('removing a folder asks first, saying what happens to its photos and names', async () => {
    await open('#/library');
    const folder = (await truth('library.status')).folders[0];
    await page.getByRole('button', { name: `Remove folder ${folder.path}` }).click();
    const dialog = page.getByRole('dialog', { name: `Remove ${folder.path}?` });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain(`Its ${folder.photos} photos and ${folder.faces} faces leave the library`);
    await expect(dialog.textContent()).resolves.toContain('Nothing is deleted from your disk');
    await shot('remove-folder-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await truth('library.status')).folders).toHaveLength(1);
    await page.getByRole('button', { name: `Remove folder ${folder.path}` }).click();
    await dialog.getByRole('button', { name: 'Remove folder' }).click();
    await expect.poll(async () => (await truth('library.status')).stats.photos).toBe(0);
    expect((await truth('library.status')).folders).toEqual([]);
    await page.getByRole('heading', { name: 'Welcome to FaceAtlas' }).waitFor();
    expect(app.problems).toEqual([]);
  });
});
