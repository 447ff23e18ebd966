// `face-atlas photos --with NAME|ID ...`: the photos where all those people appear, newest first.
import type { Command } from 'commander';
import type { Catalog } from '../../engine/library/catalog/catalog.ts';
import { backfillTakenAt } from '../../engine/library/indexer/taken-at.ts';
import { CliError, printJson } from '../output.ts';
import { addDbFlag, openLibrary, type DbFlags } from './library.ts';

const PAGE = 5000;

/** A person by id, or by name (exactly, ignoring case); an unknown or ambiguous name is an error. */
export function resolvePerson(catalog: Catalog, ref: string): number {
  if (/^\d+$/.test(ref)) {
    if (!catalog.people.get(Number(ref))) throw new CliError(`no person with id ${ref}`);
    return Number(ref);
  }
  const ids = catalog.photoIndex.peopleNamed(ref);
  if (ids.length === 0) throw new CliError(`nobody is named "${ref}" (see "face-atlas people")`);
  if (ids.length > 1) throw new CliError(`${ids.length} people are named "${ref}" (ids ${ids.join(', ')}): use an id`);
  return ids[0];
}

export function registerPhotosCommand(program: Command): void {
  addDbFlag(program
    .command('photos')
    .description('photos where all the given people appear, newest first (by date taken, else file time)')
    .requiredOption('--with <person>', 'a person\'s name or id; repeat for "together"', (v: string, all: string[] = []) => [...all, v])
    .option('--only', 'and no other named person in the photo')
    .option('--json', 'print one JSON object as the last line: {"photos": [{"id", "path", "takenAt", "people"}]}'))
    .action(async (o: DbFlags & { with: string[]; only?: boolean; json?: boolean }) => {
      const lib = openLibrary(o);
      const { catalog } = lib;
      try {
        await backfillTakenAt(catalog);
        const personIds = [...new Set(o.with.map((ref) => resolvePerson(catalog, ref)))];
        const source = { kind: 'together', personIds, only: !!o.only } as const;
        const photos = [];
        for (let offset = 0; ; offset += PAGE) {
          const page = catalog.photoIndex.page(source, offset, PAGE);
          const people = catalog.photoIndex.peopleOfPhotos(page.map((p) => p.id));
          photos.push(...page.map((p) => ({ id: p.id, path: p.path, takenAt: p.takenAt, people: people.get(p.id) ?? [] })));
          if (page.length < PAGE) break;
        }
        if (o.json) return printJson({ photos });
        for (const p of photos) console.log(p.path);
        console.error(`${photos.length} photo(s)`);
      } finally {
        await lib.close();
      }
    });
}
