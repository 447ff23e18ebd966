// What the browser tests share: Debian's chromium (skip with a reason when absent), a renderer build that
// is redone only when its sources changed, screenshots under test-artifacts/, and an accessibility check.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

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
