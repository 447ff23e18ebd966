// `face-atlas serve`: prints a loopback URL with its token, serves the renderer there, refuses a request
// without the token, and stops cleanly on Ctrl+C.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ensureRendererBuilt, repoRoot } from '../e2e/harness.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-serve-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('serve prints a 127.0.0.1 URL with a token and stops on SIGINT', async () => {
  ensureRendererBuilt();
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'face-atlas.js'), 'serve', '--db', path.join(tmp, 'catalog.db')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}/.exec(out);
      if (m) resolve(m[0]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<div id="app">');
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(401);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  expect(await exited).toBe(0);
});
