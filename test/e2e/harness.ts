// What the browser tests share: Debian's chromium (skip with a reason when absent), a renderer build that
// is redone only when its sources changed, screenshots under test-artifacts/, and an accessibility check.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createAppApi, type AppApi } from '../../main/api/app-api.ts';
import { startWebServer, type WebServer } from '../../main/server/web-server.ts';
import { dispatch } from '../../shared/rpc.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const rendererDir = path.join(repoRoot, 'dist', 'renderer');
export const artifactsDir = path.join(repoRoot, 'test-artifacts', 'e2e');

export const chromiumPath = process.env.FACE_ATLAS_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
export const noChromiumReason = `chromium not found at ${chromiumPath} (apt-get install chromium, or set FACE_ATLAS_CHROMIUM): skipping browser tests`;
if (!hasChromium) console.warn(noChromiumReason);

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/renderer unless it is newer than everything in renderer/ and shared/. */
export function ensureRendererBuilt(): void {
  const index = path.join(rendererDir, 'index.html');
  const sources = Math.max(newestMtime(path.join(repoRoot, 'renderer')), newestMtime(path.join(repoRoot, 'shared')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** Interactive elements on the page without an accessible name (by the rules this app uses). */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])')) {
      if (el.closest('[hidden]') || (el as HTMLInputElement).type === 'hidden') continue;
      const labelled = el.getAttribute('aria-labelledby')?.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
      const labels = (el as HTMLInputElement).labels ? [...(el as HTMLInputElement).labels!].map((l) => l.textContent ?? '').join(' ') : '';
      const name = [el.getAttribute('aria-label'), labelled, labels, el.tagName === 'INPUT' ? '' : el.textContent, el.getAttribute('title')]
        .map((s) => (s ?? '').trim()).find((s) => s.length > 0);
      if (!name) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

/** The app in web mode over a catalog file, with one chromium page on it: what a browser test drives. */
export interface WebApp {
  api: AppApi;
  server: WebServer;
  browser: Browser;
  page: Page;
  /** Console errors and page errors seen so far. */
  problems: string[];
  /** The API's own answer, to check what the UI shows against the truth. */
  truth: (method: string, params?: unknown) => Promise<any>;
  close: () => Promise<void>;
}

export interface WebAppOptions {
  viewport?: { width: number; height: number };
  /** Console errors that are not problems (e.g. a thumbnail the test deleted on purpose). */
  ignoreConsole?: RegExp;
}

export async function startWebApp(dbFile: string, opts: WebAppOptions = {}): Promise<WebApp> {
  ensureRendererBuilt();
  const api = createAppApi({ dbFile, host: { mode: 'web', version: 'test' } });
  const server = await startWebServer({ api, rendererDir });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1280, height: 860 }, colorScheme: 'light' });
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && !opts.ignoreConsole?.test(m.text()) && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return {
    api, server, browser, page, problems,
    truth: async (method, params = {}) => {
      const r = await dispatch(api.handlers, method, params);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.result;
    },
    close: async () => {
      await browser.close();
      await server.close();
      await api.close();
    },
  };
}
