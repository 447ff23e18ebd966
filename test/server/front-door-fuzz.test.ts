// Fuzz-style test of web mode's front door: a few hundred malformed request lines, targets, headers,
// cookies, WebSocket upgrades and frames, seeded and bounded, sent over loopback to the real
// `face-atlas serve` in a child process. Every one is answered (a status line, a WebSocket reply,
// a close), none with a server error, and the server keeps serving the page and the API throughout.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { randomInt, seededRandom, type Random } from '../../main/engine/math/random.ts';
import { ensureRendererBuilt } from '../e2e/harness.ts';
import { exchange, hasHead, startServe, type ServeChild } from '../helpers/serve.ts';

const CASE_TIMEOUT_MS = 5000;
const PARALLEL = 8;

const pick = <T,>(r: Random, items: readonly T[]): T => items[randomInt(r, items.length)];

/** A client WebSocket frame (masked unless told), any opcode, flags and payload. */
function frame(opcode: number, payload: Buffer, o: { fin?: boolean; rsv?: number; masked?: boolean } = {}): Buffer {
  const masked = o.masked ?? true;
  const head = [((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | (opcode & 0x0f)];
  const mask = masked ? 0x80 : 0;
  if (payload.length < 126) head.push(mask | payload.length);
  else if (payload.length < 65536) head.push(mask | 126, payload.length >> 8, payload.length & 0xff);
  else head.push(mask | 127, 0, 0, 0, 0, (payload.length >>> 24) & 0xff, (payload.length >>> 16) & 0xff, (payload.length >>> 8) & 0xff, payload.length & 0xff);
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), key, body]);
}

/** A frame header that announces a payload far over the server's limit (it must refuse at the header). */
function hugeFrameHeader(): Buffer {
  return Buffer.from([0x81, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4]);
}

describe('front door fuzz', () => {
  let tmp: string;
  let serve: ServeChild;
  let port: number;
  let token: string;

  beforeAll(async () => {
    ensureRendererBuilt();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-fuzz-'));
    serve = await startServe(['--db', path.join(tmp, 'catalog.db'), '--workers', '1']);
    ({ port, token } = serve);
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** The server is up: the page loads and the API answers a call. */
  async function stillServing(): Promise<void> {
    expect(serve.exited()).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`);
    const reply = await new Promise<any>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'settings.get', params: {} })));
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.type === 'reply') resolve(m);
      });
    });
    ws.close();
    expect(reply).toMatchObject({ id: 1, ok: true });
  }

  async function runAll<T>(cases: T[], one: (c: T) => Promise<void>): Promise<void> {
    for (let i = 0; i < cases.length; i += PARALLEL) {
      await Promise.all(cases.slice(i, i + PARALLEL).map(one));
      expect(serve.exited()).toBeNull();
    }
    await stillServing();
  }

  test('malformed request lines, targets, headers and cookies are each answered with a 4xx or a page', async () => {
    const r = seededRandom(11);
    const host = `127.0.0.1:${port}`;
    const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'G E T', 'get', 'ÄÖ', 'X'.repeat(300), 'PRI', '\x00GET'];
    const targets = [
      '/', '//', '///', '/%', '/%zz', '/%00', '/%E0%A4%A', '/..', '/../../etc/passwd', '/thumb/', '/thumb/face/1', '/thumb/face/-1', '/thumb/face/1e9',
      '/thumb/photo/99999999999999999999', '/thumb/face/1?token=', `/thumb/face/1?token=${token}x`, `/thumb/face/1?token=${token}&token=x`, '/api', '*',
      'http://[', 'http://evil.example/', `http://${host}/`, '/?token=', '/?token=%', `/?${'a'.repeat(9000)}`, '/é', '/\x7f', '/assets/../../x', '\\', '/;',
      '/#frag', '/index.html%00.js', '/assets/%2e%2e%2f%2e%2e%2fcatalog.db', '/' + 'a/'.repeat(2000),
    ];
    const versions = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1', 'HTTP', 'hTtP/1.1', '', 'HTTP/1.1 extra'];
    const headerSets: string[][] = [
      [`Host: ${host}`],
      [],
      ['Host: evil.example'],
      [`Host: 127.0.0.1:${port + 1}`],
      [`Host: ${host}`, `Host: ${host}`],
      [`Host: ${host}`, 'Origin: null'],
      [`Host: ${host}`, 'Origin: http://evil.example'],
      [`Host: ${host}`, `Origin: http://${host}`],
      [`Host: ${host}`, `Cookie: face_atlas_${port}=%E0%A4%A`],
      [`Host: ${host}`, `Cookie: face_atlas_${port}=${token}`],
      [`Host: ${host}`, 'Cookie: ;;;=;=%;%%;\u00ff=\u00ff'],
      [`Host: ${host}`, 'x-face-atlas-token: wrong', `x-face-atlas-token: ${token}`],
      [`Host: ${host}`, 'no colon here'],
      [`Host: ${host}`, 'Bad\x00Name: v'],
      [`Host: ${host}`, 'X-Folded: a', ' continued'],
      [`Host: ${host}`, `X-Big: ${'b'.repeat(20_000)}`],
      [`Host: ${host}`, 'Content-Length: -1'],
      [`Host: ${host}`, 'Content-Length: abc'],
      [`Host: ${host}`, 'Content-Length: 3', 'Content-Length: 4'],
      [`Host: ${host}`, 'Transfer-Encoding: chunked', 'Content-Length: 5'],
      [`Host: ${host}`, 'Transfer-Encoding: gzip, chunked, identity'],
      [`Host: ${host}`, 'Connection: Upgrade', 'Upgrade: h2c'],
      [`Host: ${host}`, 'Expect: 100-continue'],
      [`Host: ${host}`, 'Range: bytes=999999-0'],
      [`Host: ${host}`, 'If-None-Match: *', 'Accept-Encoding: ' + 'x,'.repeat(500)],
    ];
    const cases: Buffer[] = [];
    for (let i = 0; i < 260; i++) {
      const version = pick(r, versions);
      const line = `${pick(r, methods)} ${pick(r, targets)}${version ? ` ${version}` : ''}`;
      cases.push(Buffer.from(`${line}\r\n${[...pick(r, headerSets), 'Connection: close'].join('\r\n')}\r\n\r\n`, 'latin1'));
    }
    // Not HTTP at all, or HTTP that breaks its own framing.
    cases.push(
      // Empty lines before a request line are allowed (RFC 9112 2.2): what follows them decides.
      Buffer.from('\r\n\r\nNOT HTTP AT ALL\r\n\r\n'),
      Buffer.from('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n', 'latin1'),
      Buffer.from(`PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`),
      Buffer.from(`GET / HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbody\r\n0\r\n\r\n`),
      Buffer.from(`POST /api HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 4\r\n\r\nabcd`),
      Buffer.concat([randomBytes(200), Buffer.from('\r\n\r\n')]),
      Buffer.from(`GET / HTTP/1.1\n\n`),
      Buffer.from(`GET / HTTP/1.1\rHost: ${host}\r\r\n\r\n`),
    );

    const statuses = new Map<string, number>();
    await runAll(cases, async (bytes) => {
      const got = await exchange(port, bytes, hasHead, CASE_TIMEOUT_MS);
      const statusLine = got.data.toString('latin1').split('\r\n')[0];
      const what = JSON.stringify(bytes.subarray(0, 120).toString('latin1'));
      expect(statusLine, `no answer to ${what}`).toMatch(/^HTTP\/1\.[01] \d{3} /);
      const status = Number(statusLine.split(' ')[1]);
      expect(status, `${statusLine} for ${what}`).toBeLessThan(500);
      statuses.set(String(status), (statuses.get(String(status)) ?? 0) + 1);
    });
    // The fuzz reached the routes, not only the parser: pages, refusals of every kind.
    for (const s of ['200', '400', '401', '404', '421']) expect(statuses.get(s) ?? 0, `${s} in ${JSON.stringify([...statuses])}`).toBeGreaterThan(0);
  }, 240_000);

  test('malformed WebSocket upgrades are each refused with a status, never let in without the token', async () => {
    const r = seededRandom(12);
    const host = `127.0.0.1:${port}`;
    const targets = ['/api', '//', '//[', '/api/', '/api?token=', `/api?token=${token}x`, '/api?token=%', '/elsewhere', '*', 'http://[::1', `/api?token=${token}&token=x`];
    const keys = ['dGhlIHNhbXBsZSBub25jZQ==', '', 'short', '!!!!', 'x'.repeat(200)];
    const versions = ['13', '8', 'x', '', '13, 8'];
    const extras = [[], ['Origin: http://evil.example'], ['Origin: null'], [`Cookie: face_atlas_${port}=%E0%A4%A`], [`Cookie: face_atlas_${port}=${token}`], ['Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=99'], ['Sec-WebSocket-Protocol: ,,,']];
    const cases: string[] = [];
    for (let i = 0; i < 90; i++) {
      const headers = [`Host: ${pick(r, [host, host, 'evil.example', ''])}`, 'Connection: Upgrade', `Upgrade: ${pick(r, ['websocket', 'WebSocket', 'h2c', ''])}`];
      const key = pick(r, keys);
      if (key) headers.push(`Sec-WebSocket-Key: ${key}`);
      const version = pick(r, versions);
      if (version) headers.push(`Sec-WebSocket-Version: ${version}`);
      headers.push(...pick(r, extras));
      cases.push(`GET ${pick(r, targets)} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
    }
    await runAll(cases, async (text) => {
      const got = await exchange(port, Buffer.from(text, 'latin1'), hasHead, CASE_TIMEOUT_MS);
      const statusLine = got.data.toString('latin1').split('\r\n')[0];
      expect(statusLine, `no answer to ${JSON.stringify(text)}`).toMatch(/^HTTP\/1\.1 \d{3} /);
      const status = Number(statusLine.split(' ')[1]);
      // None carries the right token alone: nothing is let in, and nothing is a server error.
      expect(status, `${statusLine} for ${JSON.stringify(text)}`).not.toBe(101);
      expect(status).toBeLessThan(500);
    });
  }, 240_000);

  test('malformed frames on an open API socket are each answered (reply, pong or close) and the server stays up', async () => {
    const r = seededRandom(13);
    const upgrade = Buffer.from(
      `GET /api?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    const payloads = (): Buffer =>
      pick(r, [
        () => randomBytes(randomInt(r, 300)),
        () => Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]), // invalid UTF-8
        () => Buffer.from('{"id":1,"method":"library.status","params":{}}'),
        () => Buffer.from('{"id":1e400,"method":"__proto__","params":{"__proto__":{"x":1}}}'),
        () => Buffer.from('['.repeat(5000)),
        () => Buffer.from(JSON.stringify({ id: 2, method: 'library.addFolder', params: { path: '/no/such/folder' } })),
        () => Buffer.from(JSON.stringify({ id: 3, method: 'people.rename', params: { personId: -1, name: 'x'.repeat(100_000) } })),
        () => Buffer.alloc(0),
        () => Buffer.alloc(70_000, 0x61),
      ])();
    const cases: Buffer[] = [];
    for (let i = 0; i < 70; i++) {
      const kind = randomInt(r, 6);
      if (kind === 0) cases.push(frame(randomInt(r, 16), payloads(), { fin: r() < 0.7, rsv: r() < 0.2 ? randomInt(r, 8) : 0, masked: r() < 0.85 }));
      else if (kind === 1) cases.push(frame(1, payloads()));
      else if (kind === 2) cases.push(frame(8, Buffer.concat([Buffer.from([randomInt(r, 256), randomInt(r, 256)]), randomBytes(randomInt(r, 20))]))); // close, odd codes
      else if (kind === 3) cases.push(frame(9, randomBytes(126 + randomInt(r, 50)))); // control frame over 125 bytes
      else if (kind === 4) cases.push(Buffer.concat([frame(1, Buffer.from('{"id":'), { fin: false }), frame(0, payloads(), { fin: r() < 0.5 })]));
      else cases.push(hugeFrameHeader());
    }
    // After the fuzzed bytes a ping: an open socket must answer it, one the server closed has closed.
    const ping = frame(9, Buffer.from('alive?'));
    await runAll(cases, async (bytes) => {
      const got = await exchange(port, Buffer.concat([upgrade, bytes, ping]), (b) => {
        const head = b.indexOf('\r\n\r\n');
        return head > 0 && b.length > head + 4;
      }, CASE_TIMEOUT_MS);
      const text = got.data.toString('latin1');
      expect(text.split('\r\n')[0], 'the upgrade itself').toBe('HTTP/1.1 101 Switching Protocols');
      const afterHead = got.data.length - (text.indexOf('\r\n\r\n') + 4);
      expect(afterHead > 0 || got.closed, `no answer to frame ${bytes.subarray(0, 16).toString('hex')}`).toBe(true);
    });
  }, 240_000);
});
