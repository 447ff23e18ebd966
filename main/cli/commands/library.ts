// Library commands: index (with --watch), status, errors.
import type { Command } from 'commander';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Catalog } from '../../engine/library/catalog/catalog.ts';
import { defaultCacheDir, defaultCatalogPath } from '../../engine/library/catalog/location.ts';
import { CliError, printJson } from '../output.ts';
import { addEngineFlags, engineOptions, type EngineFlags } from './engine.ts';

export interface DbFlags {
  db?: string;
}

export function addDbFlag(cmd: Command): Command {
  return cmd.option('--db <file>', 'catalog file (default: the app-data folder)');
}

export function openCatalog(flags: DbFlags, { mustExist = true } = {}): { catalog: Catalog; file: string; cacheDir: string } {
  const file = path.resolve(flags.db ?? defaultCatalogPath());
  if (mustExist && !existsSync(file)) throw new CliError(`no catalog at ${file}: run "face-atlas index ROOT" first`);
  mkdirSync(path.dirname(file), { recursive: true });
  return { catalog: new Catalog(file), file, cacheDir: defaultCacheDir(file) };
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
    .option('--no-xmp', 'do not read face regions (names from digiKam, Lightroom, Picasa...) from XMP in photos and sidecars')
    .option('--json', 'print the run summary as one JSON object')))
    .action(async (roots: string[], o: DbFlags & EngineFlags & { watch?: boolean; thumbs: boolean; retryFailed?: boolean; xmp: boolean; json?: boolean }) => {
      for (const r of roots) if (!existsSync(r)) throw new CliError(`folder not found: ${r}`);
      const { createFaceEngine } = await import('../../engine/face/engine.ts');
      const { Indexer } = await import('../../engine/library/indexer/indexer.ts');
      const { ThumbnailCache } = await import('../../engine/library/thumbs/thumbnail-cache.ts');
      const { catalog, cacheDir } = openCatalog(o, { mustExist: false });
      const engine = await createFaceEngine(engineOptions(o));
      const indexer = new Indexer({ catalog, analyzer: engine, thumbs: o.thumbs ? new ThumbnailCache(catalog, cacheDir) : null, retryFailed: o.retryFailed, readXmp: o.xmp });
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
      indexer.on('warning', (w) => process.stderr.write(`${tty ? '\n' : ''}warning: ${w.code} ${w.path}: ${w.message}\n`));
      try {
        const summary = await indexer.run(roots.map((r) => path.resolve(r)), { signal: controller.signal });
        if (tty) process.stderr.write('\n');
        const imported = await applyImportedNames(catalog, engine.modelId);
        const assigned = await assignPeople(catalog, engine.modelId);
        const line = `indexed ${summary.done} file(s): ${summary.added} added, ${summary.updated} updated, ${summary.moved} moved, ${summary.duplicates} duplicate(s), ${summary.failed} failed, ${summary.retired} retired; ${summary.faces} face(s); ${summary.unchanged} unchanged${summary.cancelled ? ' (cancelled: finished photos are kept)' : ''}`;
        console.log(line);
        if (summary.pairedRaw.length) console.log(`${summary.pairedRaw.length} RAW file(s) paired with the JPEG or HEIC of the same shot (indexed as that photo)`);
        if (imported.applied + imported.kept + imported.conflicts > 0) {
          console.log(`XMP names: ${imported.applied} face(s) named (${imported.newPeople} new people), ${imported.kept} kept as decided in FaceAtlas, ${imported.conflicts} conflict(s)`);
        }
        const problems = catalog.xmp.problems().length;
        if (problems) console.log(`${problems} metadata problem(s) (malformed XMP, regions outside the image, sidecars without photo): see "face-atlas errors"`);
        console.log(assigned.text);
        if (o.json) printJson({ ...summary, xmpNames: imported, metadataProblems: problems, people: assigned.result });
        if (o.watch && !interrupted) {
          const watcher = indexer.watch(roots.map((r) => path.resolve(r)));
          await watcher.ready;
          console.log(`watching ${roots.join(', ')} (Ctrl+C to stop)`);
          indexer.on('file', (f) => console.log(`${f.outcome}: ${f.path}${f.error ? ` (${f.error.code}: ${f.error.message})` : ''}`));
          await new Promise<void>((resolve) => process.once('SIGINT', resolve));
          await watcher.close();
        }
      } finally {
        await engine.close();
        catalog.close();
      }
    });

  addDbFlag(program
    .command('status')
    .description('counts of photos, faces, failures and people in the catalog')
    .option('--json', 'print one JSON object'))
    .action((o: DbFlags & { json?: boolean }) => {
      const { catalog, file } = openCatalog(o);
      try {
        const stats = catalog.stats();
        const failures = catalog.failures();
        const reasons: Record<string, number> = {};
        for (const f of failures) reasons[f.errorCode ?? 'UNKNOWN'] = (reasons[f.errorCode ?? 'UNKNOWN'] ?? 0) + 1;
        if (o.json) return printJson({ ...stats, failureReasons: reasons, catalog: file });
        console.log(`${file}`);
        console.log(`${stats.photos} photos, ${stats.faces} faces, ${stats.people} people, ${stats.failed} failed, ${stats.retired} retired, ${stats.duplicates} duplicates`);
        for (const [code, n] of Object.entries(reasons)) console.log(`  failed: ${n} x ${code}`);
      } finally {
        catalog.close();
      }
    });

  addDbFlag(program
    .command('errors')
    .description('every file that could not be indexed, with its reason')
    .option('--json', 'print one JSON object'))
    .action((o: DbFlags & { json?: boolean }) => {
      const { catalog } = openCatalog(o);
      try {
        const failures = catalog.failures().map((f) => ({ path: f.path, code: f.errorCode, message: f.errorMessage }));
        const metadata = catalog.xmp.problems().map((p) => ({ path: p.path, code: p.code, message: p.message }));
        if (o.json) return printJson({ failures, metadata });
        if (!failures.length) console.log('no failed files');
        for (const f of failures) console.log(`${f.code}\t${JSON.stringify(f.path)}\t${f.message}`);
        if (metadata.length) console.log(`metadata problems (the photos themselves were indexed):`);
        for (const p of metadata) console.log(`${p.code}\t${JSON.stringify(p.path)}\t${p.message}`);
      } finally {
        catalog.close();
      }
    });
}

/** Names read from XMP regions become user decisions before new faces are grouped around them. */
async function applyImportedNames(catalog: Catalog, modelId: string) {
  const { openPeople } = await import('../../engine/people/open.ts');
  const { applyImportedNames: apply } = await import('../../engine/people/imported-names.ts');
  return apply(await openPeople(catalog, modelId));
}

/** After indexing, new faces join people (incremental assignment); new groups become people. */
async function assignPeople(catalog: Catalog, modelId: string): Promise<{ text: string; result: unknown }> {
  const { openPeople } = await import('../../engine/people/open.ts');
  const result = (await openPeople(catalog, modelId)).assignNew();
  return { text: `people: ${result.assigned} face(s) assigned (${result.people} new people), ${result.unassigned} waiting`, result };
}
