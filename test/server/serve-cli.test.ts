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
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="app">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    // The page itself holds no secret (served without the token, and carrying none); the API and thumbnails need it.
    const token = new URL(url).searchParams.get('token')!;
    expect(html).not.toContain(token);
    const base = url.replace(/\/\?token=.*/, '');
    expect((await fetch(`${base}/thumb/face/1`)).status).toBe(401);
    expect((await fetch(`${base}/thumb/face/1?token=${token}`)).status).toBe(404);
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
});
