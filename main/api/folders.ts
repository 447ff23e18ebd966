// The web-mode folder browser: the sub-folders of a folder on the machine the app runs on (starting at the
// user's home), so a folder can be picked without typing its path. Directories only; hidden ones are left
// out; nothing is read inside the folders listed.
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DirectoryListing } from '../../shared/api.ts';
import { ApiError } from '../../shared/rpc.ts';

/** Most folders one listing returns (a folder with more is cut, sorted by name). */
const MAX_ENTRIES = 2000;

export async function listDirectories(folder?: string): Promise<DirectoryListing> {
  const dir = path.resolve(folder && folder.trim() ? folder : os.homedir());
  if (folder && !path.isAbsolute(folder)) throw new ApiError('SCHEMA', `not an absolute path: ${folder}`);
  const st = await stat(dir).catch(() => null);
  if (!st) throw new ApiError('NOT_FOUND', `folder not found: ${dir}`);
  if (!st.isDirectory()) throw new ApiError('SCHEMA', `not a folder: ${dir}`);
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: Error) => {
    throw new ApiError('UNAVAILABLE', `cannot read ${dir}: ${err.message}`);
  });
  const dirs: { name: string; path: string }[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    // A symlink counts when it leads to a folder.
    const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(full).then((s) => s.isDirectory(), () => false)));
    if (isDir) dirs.push({ name: e.name, path: full });
  }
  dirs.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
  const parent = path.dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, dirs: dirs.slice(0, MAX_ENTRIES) };
}
