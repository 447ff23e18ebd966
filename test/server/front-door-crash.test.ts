// No request takes `face-atlas serve` down: a WebSocket upgrade to a target that is no URL (`//`), sent by
// any web page the user visits, and a token cookie with a malformed escape used to throw outside any
// try/catch and kill the process. Driven against the real CLI in a child process, the first from a real
// Chromium page on another origin as a user's browser would.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath, ensureRendererBuilt, hasChromium, noChromiumReason } from '../e2e/harness.ts';
import { startServe, statusLine, type ServeChild } from '../helpers/serve.ts';

const upgrade = (port: number, target: string, extra = ''): string =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

describe('serve stays up under hostile requests', () => {
  let tmp: string;
  let serve: ServeChild;
  let port: number;
  let url: string;

  beforeAll(async () => {
    ensureRendererBuilt();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-front-door-'));
    serve = await startServe(['--db', path.join(tmp, 'catalog.db')]);
    url = serve.url.href;
    port = serve.port;
  });

  afterAll(async () => {
    await serve?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  async function stillServing(): Promise<void> {
    expect(serve.exited()).toBeNull();
    const page = await fetch(url);
    expect(page.status).toBe(200);
  }

  test.skipIf(!hasChromium)('a page on another origin opening ws://127.0.0.1:PORT// does not kill the server', async () => {
    if (!hasChromium) return console.warn(noChromiumReason);
    // The hostile page lives on its own origin (another port), as any web site the user visits would.
    const evil = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><title>evil</title><script>
        window.results = [];
        for (const target of ['ws://127.0.0.1:${port}//', 'ws://127.0.0.1:${port}//x', 'ws://127.0.0.1:${port}/api']) {
          const ws = new WebSocket(target);
          ws.onopen = () => window.results.push('open ' + target);
          ws.onerror = () => window.results.push('error ' + target);
        }
      </script>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => (window as unknown as { results: string[] }).results.length === 3, undefined, { timeout: 10_000 });
      const results: string[] = await page.evaluate(() => (window as unknown as { results: string[] }).results);
      // None is let in (no token, foreign origin), and the server answered each instead of dying.
      expect(results.every((r) => r.startsWith('error '))).toBe(true);
    } finally {
      await browser.close();
      evil.close();
    }
    await new Promise((r) => setTimeout(r, 200));
    await stillServing();
  });

  test('upgrades to targets that are no URL are answered 400, odd ones refused', async () => {
    for (const target of ['//', '//[', 'http://[::1']) {
      expect(await statusLine(port, upgrade(port, target)), target).toBe('HTTP/1.1 400 Bad Request');
    }
    for (const target of ['//x', '///a', '/api/../api']) {
      expect(await statusLine(port, upgrade(port, target)), target).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
    await stillServing();
  });

  test('a token cookie with a malformed escape is refused, on the WebSocket and on plain HTTP', async () => {
    const cookie = `Cookie: face_atlas_${port}=%E0%A4%A\r\n`;
    expect(await statusLine(port, upgrade(port, '/api', cookie))).toBe('HTTP/1.1 401 Refused');
    const plain = await statusLine(port, `GET /thumb/face/1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${cookie}Connection: close\r\n\r\n`);
    expect(plain).toMatch(/^HTTP\/1\.1 401 /);
    expect(await statusLine(port, `GET // HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    await stillServing();
  });
});
