// Smoke test of the desktop app in Electron (playwright's _electron): the window opens on the renderer with
// the hardened web preferences and the preload bridge, and the API answers through IPC. Electron is an
// optional dependency whose binary cannot be downloaded everywhere: without it the test is skipped.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { _electron, type ElectronApplication } from 'playwright-core';
import { ensureRendererBuilt, repoRoot, screenshot } from './harness.ts';

function electronBinary(): { path: string } | { reason: string } {
  let binary: string;
  try {
    binary = createRequire(import.meta.url)('electron') as string;
  } catch (err) {
    return { reason: `electron is not installed (optional dependency; its binary could not be downloaded here: ${(err as Error).message.split('\n')[0]}): skipping the Electron smoke test` };
  }
  // better-sqlite3 must be built for Electron's ABI (electron-builder install-app-deps); the Node build serves the other tests.
  const abi = spawnSync(binary, ['-e', "require('better-sqlite3')"], { cwd: repoRoot, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' });
  if (abi.status !== 0) return { reason: `better-sqlite3 is not built for Electron's ABI (run npx electron-builder install-app-deps): skipping the Electron smoke test` };
  return { path: binary };
}

const electron = electronBinary();
if ('reason' in electron) console.warn(electron.reason);

describe.skipIf('reason' in electron)('desktop app in Electron', () => {
  let app: ElectronApplication;
  let tmp: string;

  beforeAll(async () => {
    ensureRendererBuilt();
    const build = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/build-app.ts'], { cwd: repoRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the app failed: ${build.stderr}`);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-electron-'));
    app = await _electron.launch({
      executablePath: (electron as { path: string }).path,
      // Chromium refuses its OS sandbox as root (containers, CI); the page's own sandbox (webPreferences) stays on.
      args: [repoRoot, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, FACE_ATLAS_DB: path.join(tmp, 'catalog.db'), FACE_ATLAS_CACHE: path.join(tmp, 'cache') } as Record<string, string>,
    });
  });

  afterAll(async () => {
    await app?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('opens the renderer with a sandboxed, isolated page and a working API bridge', async () => {
    const page = await app.firstWindow();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    for (const name of ['People', 'Unassigned', 'Map', 'Verify', 'Library', 'Personalise', 'Settings']) {
      expect(await page.getByRole('link', { name, exact: true }).count()).toBe(1);
    }
    expect(page.url()).toMatch(/^app:\/\/renderer\//);
    // No Node in the page; only the bridge.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    const info = await page.evaluate(() => (window as unknown as { faceAtlas: { call(m: string, p: unknown): Promise<unknown> } }).faceAtlas.call('app.info', {}));
    expect(info).toMatchObject({ ok: true, result: { mode: 'electron', canChooseFolder: true, canShowInFolder: true } });
    const bad = await page.evaluate(() => (window as unknown as { faceAtlas: { call(m: string, p: unknown): Promise<unknown> } }).faceAtlas.call('people.rename', { personId: 'x' }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'SCHEMA' } });
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0];
      const p = (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
      return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    // New windows and navigation away from the app are refused.
    await page.evaluate(() => window.open('https://example.com'));
    expect(app.windows()).toHaveLength(1);
    await screenshot(page, 'electron');
  });
});
