// Web mode's security: bound to 127.0.0.1 only, the per-run token on the API and thumbnails (no cookie),
// thumbnails only from the cache (no path traversal), a strict CSP, and malformed API messages answered
// with a schema error while the server keeps serving.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createAppApi, type AppApi } from '../../main/api/app-api.ts';
import { startWebServer, type WebServer } from '../../main/server/web-server.ts';
import type { FivePoints } from '../../main/engine/face/types.ts';
import { hashFile } from '../../main/engine/library/indexer/hash.ts';

const SECRET = 'top-secret-content-outside-the-cache';

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

/** A GET with the path sent exactly as given (no URL normalisation of dot segments or escapes). */
function rawGet(port: number, rawPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', reject);
  });
}

/** Sends one text frame and resolves with the next reply. */
function ask(ws: WebSocket, text: string | Buffer): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const m = JSON.parse(data.toString());
      if (m.type !== 'reply') return;
      ws.off('message', onMessage);
      resolve(m);
    };
    ws.on('message', onMessage);
    ws.send(text);
  });
}

describe('web mode security', () => {
  let tmp: string;
  let api: AppApi;
  let server: WebServer;
  let faceId: number;
  let token: string;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-security-'));
    const rendererDir = path.join(tmp, 'renderer');
    mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>FaceAtlas</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
    writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
    writeFileSync(path.join(tmp, 'cache-secret.txt'), SECRET);

    api = createAppApi({ dbFile: path.join(tmp, 'catalog.db'), cacheDir: path.join(tmp, 'cache'), host: { mode: 'web' } });
    // One real photo with one face in the catalog, so a legitimate thumbnail request has something to serve.
    const photoFile = path.join(tmp, 'photo.png');
    await sharp({ create: { width: 200, height: 160, channels: 3, background: '#c08050' } }).png().toFile(photoFile);
    const landmarks: FivePoints = [[80, 70], [120, 70], [100, 90], [85, 110], [115, 110]];
    const { faceIds } = api.catalog.photos.insertAnalysed(
      { rootId: null, path: photoFile, size: 1, mtimeMs: 1 },
      { contentHash: await hashFile(photoFile), width: 200, height: 160, orientation: 1, takenAt: null },
      { detectorId: 'mtcnn', modelId: 'mobilefacenet-192', faces: [{ box: { x: 70, y: 50, width: 60, height: 70 }, landmarks, score: 0.99, source: 'detector', embedding: new Float32Array(192).fill(1 / Math.sqrt(192)), modelId: 'mobilefacenet-192', quality: { size: 60, sharpness: 100, frontal: 1 } }] },
    );
    faceId = faceIds[0];
    server = await startWebServer({ api, rendererDir });
    token = server.token;
  });

  afterAll(async () => {
    await server?.close();
    await api?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('listens on the loopback address only, not on any other interface', async () => {
    expect(server.url.startsWith(`http://127.0.0.1:${server.port}/`)).toBe(true);
    const others = Object.values(os.networkInterfaces()).flat().filter((i) => i && i.family === 'IPv4' && !i.internal).map((i) => i!.address);
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const s = net.connect({ host: address, port: server.port });
        s.setTimeout(2000, () => (s.destroy(), resolve('timeout')));
        s.once('connect', () => (s.destroy(), resolve('connected')));
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(outcome, `port ${server.port} on ${address}`).not.toBe('connected');
    }
    // Where the machine has no other interface, the loopback bind is still asserted by the connect above.
    await expect(rawGet(server.port, `/?token=${token}`)).resolves.toMatchObject({ status: 200 });
  });

  test('the API and thumbnails need the token (query or header); the page is served without it and sets no cookie', async () => {
    expect((await rawGet(server.port, `/thumb/face/${faceId}`)).status).toBe(401);
    expect((await rawGet(server.port, `/thumb/face/${faceId}?token=${token.slice(0, -1)}x`)).status).toBe(401);
    expect((await rawGet(server.port, `/thumb/face/${faceId}`, { 'x-face-atlas-token': 'wrong' })).status).toBe(401);
    expect((await rawGet(server.port, `/thumb/face/${faceId}`, { 'x-face-atlas-token': token })).status).toBe(200);
    expect((await rawGet(server.port, `/thumb/face/${faceId}?token=${token}`)).status).toBe(200);
    // No cookie is set, and one sent anyway (any port's cookie reaches every 127.0.0.1 server) is no credential.
    const page = await rawGet(server.port, `/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect((await rawGet(server.port, `/thumb/face/${faceId}`, { Cookie: `face_atlas_${server.port}=${token}` })).status).toBe(401);

    // The bundle holds no secret: served without the token, and the token is nowhere in it.
    for (const file of ['/', '/index.html', '/assets/app.js']) {
      const r = await rawGet(server.port, file);
      expect(r.status, file).toBe(200);
      expect(r.headers['set-cookie'], file).toBeUndefined();
      expect(r.body.toString(), file).not.toContain(token);
    }
    expect((await rawGet(server.port, '/')).body.toString()).toContain('<title>FaceAtlas</title>');
  });

  test('a symbolic link inside the bundle cannot serve a file outside it', async () => {
    writeFileSync(path.join(tmp, 'outside.js'), SECRET);
    symlinkSync(path.join(tmp, 'outside.js'), path.join(tmp, 'renderer', 'assets', 'linked.js'));
    symlinkSync(tmp, path.join(tmp, 'renderer', 'assets', 'up'));
    for (const p of ['/assets/linked.js', '/assets/up/outside.js']) {
      // With the token, so only the link decides.
      const r = await rawGet(server.port, `${p}?token=${token}`);
      expect(r.status, p).toBe(404);
      expect(r.body.toString(), p).not.toContain(SECRET);
    }
    // A link that stays inside the bundle is fine.
    symlinkSync(path.join(tmp, 'renderer', 'assets', 'app.js'), path.join(tmp, 'renderer', 'assets', 'alias.js'));
    expect((await rawGet(server.port, `/assets/alias.js?token=${token}`)).status).toBe(200);
  });

  test('a request for another host name (DNS rebinding) or from another origin is refused', async () => {
    expect((await rawGet(server.port, `/?token=${token}`, { Host: `evil.example:${server.port}` })).status).toBe(421);
    expect((await rawGet(server.port, `/?token=${token}`, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await rawGet(server.port, `/?token=${token}`, { Origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  test('pages carry a strict Content-Security-Policy and only GET is served', async () => {
    const page = await rawGet(server.port, `/?token=${token}`);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`connect-src ws://127.0.0.1:${server.port}`);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await rawGet(server.port, `/?token=${token}`, {}, 'POST')).status).toBe(405);
  });

  test('a face thumbnail comes from the cache; requests outside it are refused', async () => {
    const ok = await rawGet(server.port, `/thumb/face/${faceId}?token=${token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('image/webp');
    expect(ok.body.subarray(0, 4).toString()).toBe('RIFF');
    expect(ok.body.subarray(8, 12).toString()).toBe('WEBP');
    expect((await rawGet(server.port, `/thumb/face/${faceId + 1000}?token=${token}`)).status).toBe(404);

    const attempts = [
      '/thumb/face/../../secret.txt', '/thumb/../secret.txt', '/thumb/..%2F..%2Fsecret.txt', '/thumb/face/..%2F..%2F..%2Fsecret.txt',
      `/thumb/face/${faceId}%2F..%2F..%2F..%2Fsecret.txt`, '/thumb/face/%2e%2e%2f%2e%2e%2fcache-secret.txt', '/thumb/photo/-1', '/thumb/face/1.5',
      '/thumb/face/0x1', '/thumb/face/99999999999999999999', '/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2F..%2Fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt', '/..\\secret.txt', '/%00/../secret.txt', '/catalog.db', '/../catalog.db',
    ];
    for (const attempt of attempts) {
      const sep = attempt.includes('?') ? '&' : '?';
      const r = await rawGet(server.port, `${attempt}${sep}token=${token}`);
      expect(r.status, attempt).toBeGreaterThanOrEqual(400);
      expect(r.body.toString(), attempt).not.toContain(SECRET);
    }
  });

  test('the WebSocket needs the token and our origin', async () => {
    const base = `ws://127.0.0.1:${server.port}/api`;
    await expect(openSocket(base)).resolves.toEqual({ status: 401 });
    await expect(openSocket(`${base}?token=nope`)).resolves.toEqual({ status: 401 });
    await expect(openSocket(`${base}?token=${token}`, { Origin: 'http://evil.example' })).resolves.toEqual({ status: 403 });
    await expect(openSocket(`ws://127.0.0.1:${server.port}/elsewhere?token=${token}`)).resolves.toEqual({ status: 404 });
    const good = await openSocket(`${base}?token=${token}`, { Origin: `http://127.0.0.1:${server.port}` });
    expect('ws' in good).toBe(true);
    if ('ws' in good) good.ws.close();
  });

  test('malformed API messages get an error reply, never a crash', async () => {
    const opened = await openSocket(`ws://127.0.0.1:${server.port}/api?token=${token}`);
    if (!('ws' in opened)) throw new Error(`socket refused: ${opened.status}`);
    const ws = opened.ws;
    expect(await ask(ws, 'this is not json')).toMatchObject({ id: null, ok: false, error: { code: 'BAD_JSON' } });
    expect(await ask(ws, '[1,2,3]')).toMatchObject({ ok: false, error: { code: 'BAD_ENVELOPE' } });
    expect(await ask(ws, JSON.stringify({ id: 7, params: {} }))).toMatchObject({ id: 7, ok: false, error: { code: 'BAD_ENVELOPE' } });
    expect(await ask(ws, JSON.stringify({ id: 8, method: 'people.list', params: {}, extra: true }))).toMatchObject({ id: 8, ok: false, error: { code: 'BAD_ENVELOPE' } });
    for (const method of ['no.such', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(await ask(ws, JSON.stringify({ id: 9, method, params: {} })), method).toMatchObject({ id: 9, ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
    const rename = await ask(ws, JSON.stringify({ id: 10, method: 'people.rename', params: { personId: 'x', name: 5 } }));
    expect(rename).toMatchObject({ id: 10, ok: false, error: { code: 'SCHEMA' } });
    expect(rename.error.issues.map((i: { path: string[] }) => i.path.join('.')).sort()).toEqual(['name', 'personId']);
    expect(await ask(ws, JSON.stringify({ id: 11, method: 'people.merge', params: { personIds: [1] } }))).toMatchObject({ id: 11, ok: false, error: { code: 'SCHEMA' } });
    expect(await ask(ws, JSON.stringify({ id: 12, method: 'library.addFolder', params: { path: '', injected: 1 } }))).toMatchObject({ id: 12, ok: false, error: { code: 'SCHEMA' } });
    expect(await ask(ws, JSON.stringify({ id: 13, method: 'library.addFolder', params: { path: 'relative/path' } }))).toMatchObject({ id: 13, ok: false, error: { code: 'SCHEMA' } });
    expect(await ask(ws, JSON.stringify({ id: 14, method: 'people.faces', params: { personId: 4242 } }))).toMatchObject({ id: 14, ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ask(ws, JSON.stringify({ id: 15, method: 'map.get', params: { method: 'pca' } }))).toMatchObject({ id: 15, ok: false, error: { code: 'SCHEMA' } });
    expect(await ask(ws, JSON.stringify({ id: 16, method: 'verify.compare', params: { a: { photoKey: 'x', face: 0 }, b: { photoKey: 'y', face: 0 } } }))).toMatchObject({ id: 16, ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ask(ws, Buffer.from([1, 2, 3]))).toMatchObject({ ok: false, error: { code: 'BAD_ENVELOPE' } });
    // Still serving on the same socket.
    const status = await ask(ws, JSON.stringify({ id: 17, method: 'library.status', params: {} }));
    expect(status).toMatchObject({ id: 17, ok: true });
    expect(status.result.stats.faces).toBe(1);

    // A message over the size limit closes that socket only (1009); the server keeps serving others.
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(45 * 1024 * 1024));
    expect(await closed).toBe(1009);
    const again = await openSocket(`ws://127.0.0.1:${server.port}/api?token=${token}`);
    if (!('ws' in again)) throw new Error('server stopped serving');
    expect(await ask(again.ws, JSON.stringify({ id: 1, method: 'settings.get', params: {} }))).toMatchObject({ id: 1, ok: true });
    again.ws.close();
  });
});
