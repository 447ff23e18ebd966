// Export commands: names to XMP sidecars (digiKam, Lightroom), a person's photo list (CSV or JSON).
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { CliError, printJson } from '../output.ts';
import { addDbFlag, openLibrary, type DbFlags } from './library.ts';

export function registerExportCommands(program: Command): void {
  const exp = program.command('export').description('names to XMP sidecars; a person\'s photo list');

  addDbFlag(exp
    .command('xmp')
    .description('write MWG face regions with names into XMP sidecars of every photo with a confirmed named face (digiKam, Lightroom and Immich read them); photos are never modified, existing sidecars keep everything else')
    .option('--dry-run', 'list the sidecars that would be written, write nothing')
    .option('--include-automatic', 'also faces grouped automatically into a named person (default: only names confirmed by the user or imported)')
    .option('--sidecar-name <style>', 'name of new sidecars: "ext" photo.jpg.xmp (digiKam, darktable) or "base" photo.xmp (Lightroom); an existing sidecar is always the one updated', 'ext')
    .option('--json', 'print one JSON object as the last line'))
    .action(async (o: DbFlags & { dryRun?: boolean; includeAutomatic?: boolean; sidecarName: string; json?: boolean }) => {
      if (o.sidecarName !== 'ext' && o.sidecarName !== 'base') throw new CliError(`--sidecar-name must be "ext" or "base", not "${o.sidecarName}"`);
      const { exportXmpSidecars } = await import('../../engine/library/xmp-sidecars.ts');
      const lib = openLibrary(o);
      const { catalog } = lib;
      try {
        const r = await exportXmpSidecars(catalog, { dryRun: o.dryRun, includeAutomatic: o.includeAutomatic, naming: o.sidecarName === 'base' ? 'photo.xmp' : 'photo.ext.xmp' });
        const verb = o.dryRun ? 'would write' : 'wrote';
        for (const w of r.written) console.log(`${w.changed ? (w.created ? 'new' : 'update') : 'same'}\t${w.sidecar}\t${w.named} name(s)${w.kept ? `, ${w.kept} other region(s) kept` : ''}`);
        for (const f of r.failed) console.log(`FAILED\t${f.photo}\t${f.message}`);
        const changed = r.written.filter((w) => w.changed).length;
        console.log(`${verb} ${changed} sidecar(s) (${r.written.length - changed} already up to date), ${r.failed.length} failed`);
        if (o.json) printJson({ dryRun: !!o.dryRun, sidecars: r.written, failed: r.failed });
        if (r.failed.length) process.exitCode = 1;
      } finally {
        await lib.close(); // ends ExifTool too
      }
    });

  addDbFlag(exp
    .command('person <person>')
    .description('the photos of one person (id or exact name): path, face box, whether confirmed; CSV or JSON')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--out <file>', 'write to a file instead of stdout'))
    .action(async (person: string, o: DbFlags & { format: string; out?: string }) => {
      if (o.format !== 'csv' && o.format !== 'json') throw new CliError(`--format must be csv or json, not "${o.format}"`);
      const { personPhotoList, photoListText } = await import('../../engine/people/photo-list.ts');
      const lib = openLibrary(o);
      try {
        const { catalog } = lib;
        const list = personPhotoList(catalog, person);
        const text = photoListText(list, o.format);
        if (o.out) {
          writeFileSync(o.out, text);
          console.log(`${list.photos.length} photo(s) of ${list.person.name ?? `person ${list.person.id}`} written to ${o.out}`);
        } else process.stdout.write(text);
      } finally {
        await lib.close();
      }
    });
}
