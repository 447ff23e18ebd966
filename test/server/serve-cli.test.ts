// `face-atlas serve`: prints a loopback URL with its token, serves the renderer there, refuses a request
// without the token, and stops cleanly on Ctrl+C.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ensureRendererBuilt } from '../e2e/harness.ts';
import { startServe } from '../helpers/serve.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-serve-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('serve prints a 127.0.0.1 URL with a token and stops on SIGINT', async () => {
  ensureRendererBuilt();
  const serve = await startServe(['--db', path.join(tmp, 'catalog.db')]);
  try {
    const page = await fetch(serve.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="app">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    // The page itself holds no secret (served without the token, and carrying none); the API and thumbnails need it.
    expect(html).not.toContain(serve.token);
    const base = `http://127.0.0.1:${serve.port}`;
    expect((await fetch(`${base}/thumb/face/1`)).status).toBe(401);
    expect((await fetch(`${base}/thumb/face/1?token=${serve.token}`)).status).toBe(404);
  } finally {
    await serve.stop();
  }
  expect(serve.exited()).toMatch(/^exit 0 /);
});
