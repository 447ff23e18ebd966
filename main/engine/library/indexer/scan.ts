// Walks library roots and lists the photo files in them, following symbolic links without looping.
import type { Dirent, Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { INDEXER_DEFAULTS } from './constants.ts';

export interface ScanRoot {
  id: number;
  path: string;
}

export interface ScannedFile {
  path: string;
  rootId: number;
  size: number;
  mtimeMs: number;
}

export interface ScanProblem {
  path: string;
  rootId: number;
  code: 'BROKEN_SYMLINK' | 'SYMLINK_LOOP' | 'NOT_A_FILE' | 'UNREADABLE' | 'BAD_FILE_NAME' | 'SYSTEM_FOLDER';
  message: string;
}

export interface ScanResult {
  files: ScannedFile[];
  /** Entries with a photo extension that are not readable files; the indexer records them as failed. */
  fileProblems: ScanProblem[];
  /** Folders that could not be listed: photos recorded under them are not retired (they may still be there). */
  unreadableFolders: ScanProblem[];
  /** Folder links that lead back to a folder already walked (loops); they are skipped. */
  folderLoops: ScanProblem[];
  /** Roots that are missing or not folders (an unplugged drive): nothing under them is retired. */
  unavailableRoots: ScanRoot[];
  /** System folders (/proc, /sys, /dev) met on the way and not followed. */
  systemFolders: ScanProblem[];
}

export interface ScanOptions {
  signal?: AbortSignal;
  onFound?: (found: number) => void;
  /** Folders never walked, wherever they are met (through links too): the app's own catalog and cache folders. */
  exclude?: string[];
}

/** Kernel and device file systems: walking them finds every file again (/proc/<pid>/cwd, /proc/<pid>/root) or hangs on devices. */
export const SYSTEM_FOLDERS: readonly string[] = process.platform === 'win32' ? [] : ['/proc', '/sys', '/dev'];

async function statOrNull(p: string): Promise<Stats | null> {
  return stat(p).catch(() => null);
}

/**
 * What the walk must never enter: the excluded folders and the system folders by identity, and any
 * folder on a system folder's device however it is reached. A system folder on the root's own device
 * (a container without a separate /dev) is excluded by identity only, never its whole device.
 */
async function barriers(exclude: string[]): Promise<(st: Stats) => 'own' | 'system' | null> {
  const own = new Set<string>();
  const system = new Set<string>();
  const devices = new Set<number>();
  for (const st of await Promise.all(exclude.map(statOrNull))) if (st?.isDirectory()) own.add(folderKey(st));
  const rootDev = (await statOrNull(path.parse(process.cwd()).root))?.dev;
  for (const st of await Promise.all(SYSTEM_FOLDERS.map(statOrNull))) {
    if (!st?.isDirectory()) continue;
    system.add(folderKey(st));
    if (st.dev !== rootDev) devices.add(st.dev);
  }
  return (st) => (own.has(folderKey(st)) ? 'own' : system.has(folderKey(st)) || devices.has(st.dev) ? 'system' : null);
}

/**
 * Entries whose names are not valid UTF-8: Node shows them with U+FFFD and no file at that name exists.
 * They are named with the bad bytes as `\xNN` escapes (unique, readable) so `errors` can list them.
 */
async function badlyNamed(dir: string): Promise<string[]> {
  const raw = await readdir(dir, { encoding: 'buffer' }).catch(() => [] as Buffer[]);
  return raw.filter((name) => !isUtf8(name)).map((name) => {
    let out = '';
    for (let i = 0; i < name.length; ) {
      // Decode the longest valid UTF-8 run, escape one byte that is not.
      let j = i + 1;
      while (j <= name.length && j - i <= 4 && !isUtf8(name.subarray(i, j))) j++;
      if (j <= name.length && j - i <= 4) {
        out += name.subarray(i, j).toString('utf8');
        i = j;
      } else {
        out += `\\x${name[i].toString(16).padStart(2, '0')}`;
        i++;
      }
    }
    return out;
  });
}

const extensions = new Set(INDEXER_DEFAULTS.imageExtensions);
const skippedFolders = new Set(INDEXER_DEFAULTS.skippedFolderNames);

export function isPhotoName(name: string): boolean {
  return extensions.has(path.extname(name).toLowerCase());
}

/** Hidden entries ('.git', '._x.jpg') and system folders are never part of the library. */
export function isSkippedName(name: string): boolean {
  return name.startsWith('.') || skippedFolders.has(name);
}

const folderKey = (st: Stats): string => `${st.dev}:${st.ino}`;

/**
 * Scans roots deepest first, so a root nested in another one owns its files, and each real folder
 * is walked once (tracked by device and inode), which also breaks symlink loops.
 */
export async function scanRoots(roots: ScanRoot[], opts: ScanOptions = {}): Promise<ScanResult> {
  const result: ScanResult = { files: [], fileProblems: [], unreadableFolders: [], folderLoops: [], unavailableRoots: [], systemFolders: [] };
  const walked = new Set<string>();
  const barrier = await barriers(opts.exclude ?? []);
  const ordered = [...roots].sort((a, b) => b.path.length - a.path.length || a.path.localeCompare(b.path));
  for (const root of ordered) {
    let rootStat: Stats;
    try {
      rootStat = await stat(root.path);
      if (!rootStat.isDirectory()) throw new Error('not a folder');
    } catch {
      result.unavailableRoots.push(root);
      continue;
    }
    if (walked.has(folderKey(rootStat))) continue; // the same folder as another root
    const rootBarrier = barrier(rootStat);
    if (rootBarrier === 'system') result.systemFolders.push({ path: root.path, rootId: root.id, code: 'SYSTEM_FOLDER', message: 'a system folder (/proc, /sys, /dev): not followed' });
    if (rootBarrier) continue;
    walked.add(folderKey(rootStat));
    const stack = [root.path];
    while (stack.length > 0) {
      if (opts.signal?.aborted) return result;
      const dir = stack.pop()!;
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        result.unreadableFolders.push({ path: dir, rootId: root.id, code: 'UNREADABLE', message: (err as Error).message });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (entries.some((e) => e.name.includes('\uFFFD'))) {
        for (const name of await badlyNamed(dir)) {
          if (isPhotoName(name)) result.fileProblems.push({ path: path.join(dir, name), rootId: root.id, code: 'BAD_FILE_NAME', message: 'the file name is not valid UTF-8: rename the file to index it' });
          else result.unreadableFolders.push({ path: path.join(dir, name), rootId: root.id, code: 'BAD_FILE_NAME', message: 'the name is not valid UTF-8: rename it to index what it holds' });
        }
      }
      const subdirs: string[] = [];
      const candidates = entries.filter((e) => !isSkippedName(e.name) && (e.isDirectory() || e.isSymbolicLink() || isPhotoName(e.name)));
      // Stat in parallel, then decide in name order so the walk (and which of two links to one folder wins) is deterministic.
      const stats = await Promise.all(candidates.map((e) => stat(path.join(dir, e.name)).then((st) => ({ st }), (err: NodeJS.ErrnoException) => ({ err }))));
      candidates.forEach((entry, i) => {
        const full = path.join(dir, entry.name);
        const photoName = isPhotoName(entry.name);
        const problem = (code: ScanProblem['code'], message: string): void => {
          result.fileProblems.push({ path: full, rootId: root.id, code, message });
        };
        const s = stats[i];
        if ('err' in s) {
          if (!photoName) return; // a broken link without a photo name is not ours to report
          const code = s.err.code;
          if (code === 'ENOENT' && entry.isSymbolicLink()) problem('BROKEN_SYMLINK', 'symbolic link to a file that does not exist');
          else if (code === 'ELOOP') problem('SYMLINK_LOOP', 'symbolic link loop');
          else if (code !== 'ENOENT') problem('UNREADABLE', s.err.message);
          return;
        }
        const st = s.st;
        if (st.isDirectory()) {
          const blocked = barrier(st);
          if (blocked === 'system') result.systemFolders.push({ path: full, rootId: root.id, code: 'SYSTEM_FOLDER', message: 'a system folder (/proc, /sys, /dev): not followed' });
          if (blocked) return;
          if (walked.has(folderKey(st))) {
            result.folderLoops.push({ path: full, rootId: root.id, code: 'SYMLINK_LOOP', message: 'link to a folder already scanned (a loop or a second path to it)' });
            return;
          }
          walked.add(folderKey(st));
          subdirs.push(full);
        } else if (photoName) {
          if (st.isFile()) result.files.push({ path: full, rootId: root.id, size: st.size, mtimeMs: st.mtimeMs });
          else problem('NOT_A_FILE', 'not a regular file (pipe, socket or device)');
        }
      });
      // Reverse so the stack pops folders in name order: a deterministic walk.
      stack.push(...subdirs.sort().reverse());
      opts.onFound?.(result.files.length);
    }
  }
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}
