// Web mode: the built renderer, its thumbnails and the API (WebSocket) over HTTP on 127.0.0.1 only, for a
// browser on this machine (and the end-to-end tests). The API and thumbnails need the per-run token.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { API_LIMITS } from '../../shared/api.ts';
import { contentSecurityPolicy } from '../../shared/csp.ts';
import { WEB_MODE } from '../../shared/hosts.ts';
import type { AppApi } from '../api/app-api.ts';
import { parseThumbRequest, THUMB_CONTENT_TYPE } from '../api/thumbnails.ts';
import { authorise, newToken } from './auth.ts';
import { staticFile } from '../api/renderer-files.ts';
import { bridgeSocket } from './ws-bridge.ts';

/** The only address web mode listens on. */
export const LOOPBACK = '127.0.0.1';
/** Largest WebSocket message: a base64 photo for Verify plus its envelope. */
const MAX_MESSAGE_BYTES = Math.ceil(API_LIMITS.uploadBytes / 3) * 4 + 64 * 1024;

export interface WebServerOptions {
  api: AppApi;
  /** Folder of the built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Fixed token (tests); default: a new random one per run. */
  token?: string;
}

export interface WebServer {
  port: number;
  token: string;
  /** The address to open, token included. */
  url: string;
  close(): Promise<void>;
}

function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy({ connect: [`ws://${LOOPBACK}:${port}`, `ws://localhost:${port}`] }),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** The request's URL against our origin, or null for a target that is no URL (`//`, `http://[`): a 400, never a throw. */
export function requestUrl(target: string | undefined, port: number): URL | null {
  try {
    return new URL(target ?? '/', `http://${LOOPBACK}:${port}`);
  } catch {
    return null;
  }
}

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${text}\n`);
}

export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const token = o.token ?? newToken();
  let port = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = securityHeaders(port);
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    const url = requestUrl(req.url, port);
    if (!url) return refuse(res, 400, 'bad request');
    const isThumb = url.pathname.startsWith(WEB_MODE.thumbPath + '/');
    // The page and its scripts hold no secret: they are served without the token, which the page takes
    // from its address, keeps in memory and removes from the address bar (renderer/src/lib/client.ts).
    const auth = authorise(req, url, token, port, { needsToken: isThumb });
    if (!auth.ok) return refuse(res, auth.status, auth.reason);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');

    if (isThumb) {
      const request = parseThumbRequest(url.pathname.slice(WEB_MODE.thumbPath.length + 1));
      const file = request && (await o.api.thumbnail(request.kind, request.id));
      if (!file) return refuse(res, 404, 'no such thumbnail');
      res.writeHead(200, { 'Content-Type': THUMB_CONTENT_TYPE, 'Cache-Control': 'private, max-age=300' });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
      return;
    }
    const found = await staticFile(o.rendererDir, url.pathname);
    if (!found) return refuse(res, 404, 'not found');
    res.writeHead(200, { 'Content-Type': found.type, 'Content-Length': found.size, 'Cache-Control': found.type.startsWith('text/html') ? 'no-store' : 'private, max-age=3600' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.destroy();
      console.error(`face-atlas serve: ${req.url}: ${err.message}`);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // The upgrade runs before any auth and any page may open a WebSocket to us: nothing in it may throw.
  server.on('upgrade', (req, socket, head) => {
    const answer = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    try {
      const url = requestUrl(req.url, port);
      if (!url) return answer(400, 'Bad Request');
      const auth = authorise(req, url, token, port);
      if (!auth.ok) return answer(auth.status, 'Refused');
      if (url.pathname !== WEB_MODE.apiPath) return answer(404, 'Not Found');
      wss.handleUpgrade(req, socket, head, (ws) => bridgeSocket(ws, o.api));
    } catch (err) {
      answer(400, 'Bad Request');
      console.error(`face-atlas serve: upgrade ${JSON.stringify(req.url)}: ${(err as Error).message}`);
    }
  });
  server.on('error', (err) => console.error(`face-atlas serve: ${err.message}`));
  // CONNECT (a proxy request) is answered, not dropped: we are no proxy.
  server.on('connect', (_req, socket: Socket) => socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'));
  // A request Node cannot parse (bad request line, header, encoding) is still answered, then closed.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://${LOOPBACK}:${port}/?${WEB_MODE.tokenParam}=${token}`,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
