// Files of the built renderer for both hosts (web server, Electron's app:// protocol), only from inside its folder.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The file for a URL path inside `root`, or null (missing, a folder, dot segments, or outside root, links followed). */
export async function staticFile(root: string, urlPath: string): Promise<{ file: string; type: string; size: number } | null> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  if (rel.includes('\0') || rel.split(/[\\/]/).some((seg) => seg === '..' || seg === '.')) return null;
  const file = path.resolve(root, '.' + rel);
  if (!file.startsWith(path.resolve(root) + path.sep)) return null;
  const type = TYPES[path.extname(file).toLowerCase()];
  if (!type) return null;
  // By real path: a symbolic link inside the bundle that leads outside it serves nothing.
  const [realRoot, real] = await Promise.all([realpath(root).catch(() => null), realpath(file).catch(() => null)]);
  if (!realRoot || !real || !real.startsWith(realRoot + path.sep)) return null;
  const st = await stat(real).catch(() => null);
  if (!st?.isFile()) return null;
  return { file: real, type, size: st.size };
}
