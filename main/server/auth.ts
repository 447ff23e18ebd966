// Who may talk to the web-mode server: requests addressed to our loopback origin (a DNS-rebinding page
// sends another Host); for the API and thumbnails, carrying the per-run token in the query or a header.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WEB_MODE } from '../../shared/hosts.ts';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function allowedOrigins(port: number): Set<string> {
  return new Set([...allowedHosts(port)].map((h) => `http://${h}`));
}

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type AuthResult = { ok: true } | { ok: false; status: number; reason: string };

/**
 * Every request must be addressed to our loopback origin; those that reach data (the API, thumbnails)
 * must also carry the token, in the query or the header. There is no cookie: cookies are not scoped by
 * port, so the browser would send it to every other server on 127.0.0.1 as well.
 */
export function authorise(req: IncomingMessage, url: URL, token: string, port: number, { needsToken = true } = {}): AuthResult {
  if (!allowedHosts(port).has(req.headers.host ?? '')) return { ok: false, status: 421, reason: 'wrong host' };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(port).has(origin)) return { ok: false, status: 403, reason: 'cross-origin request' };
  if (!needsToken || sameToken(url.searchParams.get(WEB_MODE.tokenParam), token)) return { ok: true };
  const header = req.headers[WEB_MODE.tokenHeader];
  if (sameToken(Array.isArray(header) ? header[0] : header, token)) return { ok: true };
  return { ok: false, status: 401, reason: 'token required' };
}
