// Indexes one file from start to end: stat, skip if unchanged, hash, analyse if the content is new,
// commit. Used by full runs and by watch mode alike; never throws for a bad file, it reports it.
import { lstat, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { Catalog, PhotoFile } from '../catalog/catalog.ts';
import type { PhotoAnalyser } from './analyser.ts';
import { type Analysed, type Failure, type FileOutcome, commitFile, commitUnreadable } from './commit.ts';
import { INDEXER_DEFAULTS, type IndexErrorCode } from './constants.ts';
import { readTakenAt } from './exif.ts';
import { hashFile } from './hash.ts';
import type { PhotoAnalysis } from '../../face/types.ts';

export interface FileContext {
  catalog: Catalog;
  analyser: PhotoAnalyser;
  /** Read again files that failed before even when unchanged. */
  retryFailed: boolean;
  /** Analyses in progress by content hash, so two copies of one photo are analysed once. */
  inFlight: Map<string, Promise<unknown>>;
  /** When set, the decoded pixels of each analysed file are left here by path (for thumbnails cut from the same decode). */
  pixels?: Map<string, NonNullable<PhotoAnalysis['pixels']>>;
}

export interface FileReport {
  path: string;
  /** 'vanished': the file disappeared while being indexed; it is treated as deleted. */
  outcome: FileOutcome | 'vanished';
  photoId?: number;
  faces?: number;
  error?: { code: string; message: string };
}

class FileProblem extends Error {
  constructor(readonly code: IndexErrorCode | 'VANISHED', message: string) {
    super(message);
  }
}

async function statPhoto(file: string): Promise<Stats> {
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new FileProblem('NOT_A_FILE', st.isDirectory() ? 'a folder with a photo extension' : 'not a regular file (pipe, socket or device)');
    return st;
  } catch (err) {
    throw await classifyFsError(err, file);
  }
}

async function classifyFsError(err: unknown, file: string): Promise<FileProblem> {
  if (err instanceof FileProblem) return err;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') {
    const link = await lstat(file).catch(() => null);
    if (link?.isSymbolicLink()) return new FileProblem('BROKEN_SYMLINK', 'symbolic link to a file that does not exist');
    return new FileProblem('VANISHED', 'deleted while being indexed');
  }
  if (e.code === 'ELOOP') return new FileProblem('SYMLINK_LOOP', 'symbolic link loop');
  if (e.code === 'EACCES' || e.code === 'EPERM') return new FileProblem('UNREADABLE', 'permission denied');
  if (e.code === 'EISDIR') return new FileProblem('NOT_A_FILE', 'a folder with a photo extension');
  return new FileProblem('UNREADABLE', e.message ?? String(err));
}

function toFailure(err: unknown): Failure | FileProblem {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  if (code === 'NOT_FOUND' || code === 'ENOENT') return new FileProblem('VANISHED', 'deleted while being indexed');
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'failure', code: 'UNREADABLE', message: 'permission denied' };
  if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return { kind: 'failure', code, message };
  return { kind: 'failure', code: 'ANALYSIS_FAILED', message };
}

const sameStat = (a: Stats, b: Stats): boolean => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;

export async function indexFile(ctx: FileContext, file: string, rootId: number | null): Promise<FileReport> {
  const { catalog, analyser } = ctx;
  // The catch below records the failure under this (a file that vanished before its first stat has size 0).
  // eslint-disable-next-line no-useless-assignment -- read in the catch block, which the rule does not follow
  let photoFile: PhotoFile = { rootId, path: file, size: 0, mtimeMs: 0 };
  try {
    for (let attempt = 0; ; attempt++) {
      const before = await statPhoto(file);
      photoFile = { rootId, path: file, size: before.size, mtimeMs: before.mtimeMs };
      const live = catalog.photos.liveByPath(file);
      const upToDate = live && live.size === before.size && live.mtimeMs === before.mtimeMs && live.rootId === rootId;
      const stale = live?.status === 'ok' && live.modelId !== analyser.modelId;
      if (upToDate && !stale && !(ctx.retryFailed && live.status === 'failed')) return { path: file, outcome: 'unchanged', photoId: live.id };
      if (before.size === 0) throw new FileProblem('EMPTY_FILE', 'file is empty (0 bytes)');

      const hash = await hashFile(file).catch(async (err) => { throw await classifyFsError(err, file); });
      let result: Analysed | Failure | null = null;
      for (;;) {
        const r = commitFile(catalog, photoFile, hash, analyser.modelId, result);
        if (r.outcome !== 'needs-analysis') {
          const rep: FileReport = { path: file, outcome: r.outcome, photoId: r.photoId, faces: r.faces };
          if (r.outcome === 'failed' && result?.kind === 'failure') rep.error = { code: result.code, message: result.message };
          return rep;
        }
        const pending = ctx.inFlight.get(hash);
        if (pending) {
          // Another copy of this content is being analysed: wait, then this one becomes its duplicate.
          await pending.catch(() => undefined);
          continue;
        }
        const work = analyse(ctx, file);
        ctx.inFlight.set(hash, work);
        try {
          const r2 = await work;
          if (r2 instanceof FileProblem) throw r2;
          result = r2;
        } finally {
          ctx.inFlight.delete(hash);
        }
        const after = await stat(file).catch(() => null);
        if (!after) throw new FileProblem('VANISHED', 'deleted while being indexed');
        if (!sameStat(before, after)) break; // replaced while being read: start over
      }
      if (attempt >= INDEXER_DEFAULTS.changedWhileReadingRetries) {
        throw new FileProblem('CHANGED_WHILE_READING', `the file kept changing while it was read (${attempt + 1} tries)`);
      }
    }
  } catch (err) {
    // Only file problems are the file's fault; anything else (a catalog error) is a bug and stops the run.
    if (!(err instanceof FileProblem) && typeof (err as NodeJS.ErrnoException).syscall !== 'string') throw err;
    const p = await classifyFsError(err, file);
    if (p.code === 'VANISHED') return { path: file, outcome: 'vanished', error: { code: p.code, message: p.message } };
    const r = commitUnreadable(catalog, photoFile, p.code, p.message);
    return { path: file, outcome: 'failed', photoId: r.photoId, error: { code: p.code, message: p.message } };
  }
}

async function analyse(ctx: FileContext, file: string): Promise<Analysed | Failure | FileProblem> {
  try {
    const [analysis, takenAt] = await Promise.all([ctx.analyser.analysePhoto(file, ctx.pixels ? { keepPixels: true } : undefined), readTakenAt(file)]);
    if (analysis.pixels) {
      ctx.pixels?.set(file, analysis.pixels);
      delete analysis.pixels;
    }
    return { kind: 'analysed', analysis, modelId: ctx.analyser.modelId, takenAt };
  } catch (err) {
    return toFailure(err);
  }
}
