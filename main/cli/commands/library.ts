// Library commands: index (with --watch), status, errors.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CatalogOpenError } from '../../engine/library/catalog/open.ts';
import { defaultCatalogPath } from '../../engine/library/catalog/location.ts';
import { Library } from '../../engine/library/library.ts';
import type { FaceEngineOptions } from '../../engine/face/engine.ts';
import { CliError, printJson } from '../output.ts';
import { terminalSafe } from '../terminal.ts';
import { addEngineFlags, engineOptions, type EngineFlags } from './engine.ts';

export interface DbFlags {
  db?: string;
}

export function addDbFlag(cmd: Command): Command {
  return cmd.option('--db <file>', 'catalog file (default: the app-data folder)');
}

/**
 * Opens the library at --db (default: the app-data catalog); read commands need it to exist already and
 * pass `readonly`: they work on a catalog in a read-only folder and never create, migrate or write it.
 * A missing, empty, damaged or unwritable file is a clear error.
 */
export function openLibrary(flags: DbFlags, { mustExist = true, engine, readonly = false }: { mustExist?: boolean; engine?: FaceEngineOptions; readonly?: boolean } = {}): Library {
  const file = path.resolve(flags.db ?? defaultCatalogPath());
  if (mustExist && !existsSync(file)) throw new CliError(`no catalog at ${file}: run "face-atlas index ROOT" first`);
  try {
    return Library.open(file, { engine, readonly });
  } catch (err) {
    throw err instanceof CatalogOpenError ? new CliError(err.message) : err;
  }
}

/** The library's embedding model, when it has faces of it (commands that group, map or train need some). */
export function libraryModelWithFaces(lib: Library): string {
  const modelId = lib.modelId();
  if (lib.catalog.faces.countLive(modelId) > 0) return modelId;
  const other = lib.catalog.faces.commonModel();
  if (!other) throw new CliError('the catalog has no faces yet: run "face-atlas index ROOT" first');
  throw new CliError(`the library's settings name the ${modelId} embedding, but its faces are of ${other}: run "face-atlas index" again, or "face-atlas settings set embedder ..."`);
}

function fmtEta(s: number | null): string {
  if (s === null) return '--';
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

export function registerLibraryCommands(program: Command): void {
  addEngineFlags(addDbFlag(program
    .command('index <roots...>')
    .description('index photo folders: detect, align and embed every face; incremental and resumable')
    .option('--watch', 'keep running and index new, changed and deleted photos as they appear')
    .option('--no-thumbs', 'do not cut photo and face thumbnails')
    .option('--retry-failed', 'read files that failed before again')
    .option('--json', 'print the run summary as one JSON object')), { saved: true })
    .action(async (roots: string[], o: DbFlags & EngineFlags & { watch?: boolean; thumbs: boolean; retryFailed?: boolean; json?: boolean }) => {
      for (const r of roots) if (!existsSync(r)) throw new CliError(`folder not found: ${r}`);
      const { Indexer } = await import('../../engine/library/indexer/indexer.ts');
      // The saved settings apply; --detector / --embedder change the library's settings (its faces are then of
      // that model, as when the app's Settings change them); --workers and the analysis flags are for this run.
      const { detector, embedder, ...runOnly } = engineOptions(o);
      const lib = openLibrary(o, { mustExist: false, engine: runOnly });
      const { catalog } = lib;
      const changed = lib.settings.set({ ...(detector ? { detector } : {}), ...(embedder ? { embedder } : {}) }).changed;
      if (changed.length) {
        await lib.engine.configure(lib.settings.get());
        console.error(`settings: ${changed.map((k) => `${k} = ${lib.settings.get()[k]}`).join(', ')} (saved in the catalog)`);
      }
      const engine = await lib.engine.get();
      const indexer = new Indexer({ catalog, analyser: engine, thumbs: o.thumbs ? lib.thumbs : null, retryFailed: o.retryFailed });
      const controller = new AbortController();
      let interrupted = false;
      process.once('SIGINT', () => { interrupted = true; controller.abort(); });
      const tty = process.stderr.isTTY;
      let lastPlain = 0;
      indexer.on('progress', (p) => {
        const text = `${p.phase} ${p.done}/${p.total} (unchanged ${p.unchanged}, failed ${p.failed}, faces ${p.faces}) ${p.photosPerSecond.toFixed(1)} photos/s ETA ${fmtEta(p.etaSeconds)}`;
        if (tty) {
          const w = 24, filled = p.total ? Math.round((p.done / p.total) * w) : 0;
          process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(w - filled)}] ${text}\x1b[K`);
        } else if (Date.now() - lastPlain > 2000 || p.phase === 'done') {
          lastPlain = Date.now();
          process.stderr.write(`${text}\n`);
        }
      });
      const changedPhotoIds: number[] = [];
      indexer.on('file', (f) => {
        if (f.photoId !== undefined && (f.outcome === 'added' || f.outcome === 'updated' || f.outcome === 'revived')) changedPhotoIds.push(f.photoId);
      });
      indexer.on('warning', (w) => process.stderr.write(`${tty ? '\n' : ''}warning: ${w.code} ${terminalSafe(w.path)}: ${terminalSafe(w.message)}\n`));
      try {
        const summary = await indexer.run(roots.map((r) => path.resolve(r)), { signal: controller.signal });
        if (tty) process.stderr.write('\n');
        const assigned = await assignPeople(lib, changedPhotoIds);
        const line = `indexed ${summary.done} file(s): ${summary.added} added, ${summary.updated} updated, ${summary.moved} moved, ${summary.duplicates} duplicate(s), ${summary.failed} failed, ${summary.retired} retired; ${summary.faces} face(s); ${summary.unchanged} unchanged${summary.cancelled ? ' (cancelled: finished photos are kept)' : ''}`;
        console.log(line);
        console.log(assigned.text);
        if (o.json) printJson({ ...summary, people: assigned.result });
        if (o.watch && !interrupted) {
          const watcher = indexer.watch(roots.map((r) => path.resolve(r)));
          await watcher.ready;
          console.log(`watching ${terminalSafe(roots.join(', '))} (Ctrl+C to stop)`);
          indexer.on('file', (f) => console.log(terminalSafe(`${f.outcome}: ${f.path}${f.error ? ` (${f.error.code}: ${f.error.message})` : ''}`)));
          await new Promise<void>((resolve) => process.once('SIGINT', resolve));
          await watcher.close();
        }
      } finally {
        await lib.close();
      }
    });

  addDbFlag(program
    .command('status')
    .description('counts of photos, faces, failures and people in the catalog')
    .option('--json', 'print one JSON object'))
    .action(async (o: DbFlags & { json?: boolean }) => {
      const lib = openLibrary(o, { readonly: true });
      const { catalog, file } = lib;
      try {
        const stats = catalog.stats();
        const failures = catalog.photos.failures();
        const reasons: Record<string, number> = {};
        for (const f of failures) reasons[f.errorCode ?? 'UNKNOWN'] = (reasons[f.errorCode ?? 'UNKNOWN'] ?? 0) + 1;
        if (o.json) return printJson({ ...stats, failureReasons: reasons, catalog: file });
        console.log(terminalSafe(file));
        console.log(`${stats.photos} photos, ${stats.faces} faces, ${stats.people} people, ${stats.failed} failed, ${stats.retired} retired, ${stats.duplicates} duplicates`);
        for (const [code, n] of Object.entries(reasons)) console.log(`  failed: ${n} x ${code}`);
      } finally {
        await lib.close();
      }
    });

  addDbFlag(program
    .command('errors')
    .description('every file that could not be indexed, with its reason')
    .option('--json', 'print one JSON object'))
    .action(async (o: DbFlags & { json?: boolean }) => {
      const lib = openLibrary(o, { readonly: true });
      const { catalog } = lib;
      try {
        const failures = catalog.photos.failures().map((f) => ({ path: f.path, code: f.errorCode, message: f.errorMessage }));
        if (o.json) return printJson({ failures });
        if (!failures.length) console.log('no failed files');
        for (const f of failures) console.log(`${f.code}\t${terminalSafe(JSON.stringify(f.path))}\t${terminalSafe(f.message ?? '')}`);
      } finally {
        await lib.close();
      }
    });
}

/** After indexing, the library's after-index policy: new faces join people, new groups become people. */
async function assignPeople(lib: Library, changedPhotoIds: number[]): Promise<{ text: string; result: unknown }> {
  const job = lib.afterIndex(changedPhotoIds);
  if (!job) return { text: 'people: no new faces', result: { assigned: 0, unassigned: 0, people: 0 } };
  const result = await lib.runPeopleJob(job);
  return { text: `people: ${result.assigned} face(s) assigned${job.job === 'recluster' ? ` (${result.people} people)` : ''}, ${result.unassigned} waiting (threshold ${result.threshold})`, result };
}
