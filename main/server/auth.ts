// Who may talk to the web-mode server: requests addressed to our loopback origin (a DNS-rebinding page
// sends another Host), carrying the per-run token in the query, a header, or the cookie set with the page.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WEB_MODE } from '../../shared/hosts.ts';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Cookie name per port: two servers on one machine never read each other's token. */
export const tokenCookie = (port: number): string => `face_atlas_${port}`;

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

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // A malformed escape (`%E0%A4%A`) is no token, not an exception.
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export type AuthResult = { ok: true; viaQuery: boolean } | { ok: false; status: number; reason: string };

export function authorise(req: IncomingMessage, url: URL, token: string, port: number): AuthResult {
  if (!allowedHosts(port).has(req.headers.host ?? '')) return { ok: false, status: 421, reason: 'wrong host' };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(port).has(origin)) return { ok: false, status: 403, reason: 'cross-origin request' };
  if (sameToken(url.searchParams.get(WEB_MODE.tokenParam), token)) return { ok: true, viaQuery: true };
  const header = req.headers[WEB_MODE.tokenHeader];
  if (sameToken(Array.isArray(header) ? header[0] : header, token)) return { ok: true, viaQuery: false };
  if (sameToken(cookieValue(req, tokenCookie(port)), token)) return { ok: true, viaQuery: false };
  return { ok: false, status: 401, reason: 'token required' };
}
