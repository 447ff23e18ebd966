// People edits from the command line, for scripting and headless (NAS) use: the same decisions as the
// app (name, merge, hide, move, ignore, undo), logged in the same undo history with the same words.
import type { Command } from 'commander';
import { PeopleEdits } from '../../engine/people/edits.ts';
import { plausible, withSimilarity } from '../../engine/people/similarity.ts';
import { PeopleError } from '../../engine/people/service.ts';
import type { Catalog } from '../../engine/library/catalog/catalog.ts';
import { CliError, printJson } from '../output.ts';
import { addDbFlag, libraryModelWithFaces, openLibrary, type DbFlags } from './library.ts';

type Flags = DbFlags & { json?: boolean };

/** A whole positive number given on the command line, or a clear error naming it. */
function idArg(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new CliError(`${what} must be a positive whole number, not "${text}"`);
  return n;
}

/** Runs one edit on the catalog and prints its words (or, with --json, one object). */
async function edit(o: Flags, fn: (edits: PeopleEdits, catalog: Catalog) => Record<string, unknown> & { summary: string | null }): Promise<void> {
  const lib = openLibrary(o);
  try {
    libraryModelWithFaces(lib);
    const people = await lib.people();
    let out: Record<string, unknown> & { summary: string | null };
    try {
      out = fn(new PeopleEdits(lib.catalog, people), lib.catalog);
    } catch (err) {
      if (err instanceof PeopleError) throw new CliError(err.message);
      throw err;
    }
    if (o.json) return printJson(out);
    console.log(out.summary ?? 'nothing to undo');
  } finally {
    await lib.close();
  }
}

export function registerPeopleEditCommands(program: Command): void {
  const people = program.commands.find((c) => c.name() === 'people');
  if (!people) throw new Error('registerPeopleCommands must run first');
  const sub = (spec: string, description: string) => addDbFlag(people.command(spec).description(description).option('--json', 'print one JSON object'));
  /** The parent's --db and --json (commander gives them to `people` wherever they stand) count as well. */
  const flags = <T extends Flags>(o: T): T => ({ ...o, db: o.db ?? people.opts<Flags>().db, json: o.json ?? people.opts<Flags>().json });

  sub('name <personId> <name...>', 'names a person; a name another person has is refused (merge instead) unless --duplicate')
    .option('--duplicate', 'allow a second person with this name (two people really share it)')
    .action((id: string, words: string[], o: Flags & { duplicate?: boolean }) => edit(flags(o), (e, catalog) => {
      const personId = idArg(id, 'person id');
      const name = words.join(' ').trim();
      const same = catalog.people.all().find((p) => p.id !== personId && p.name?.trim().toLowerCase() === name.toLowerCase());
      if (same && !o.duplicate) {
        throw new CliError(`person ${same.id} is already named "${same.name}": merge with "face-atlas people merge ${personId} ${same.id}", or pass --duplicate`);
      }
      return { personId, ...e.rename(personId, name) };
    }));

  sub('merge <personId> <intoId>', 'merges a person into another (the second keeps its name; the better cover stays)')
    .action((id: string, into: string, o: Flags) => edit(flags(o), (e) => {
      const a = idArg(id, 'person id'), b = idArg(into, 'into id');
      if (a === b) throw new CliError('a person cannot be merged into itself');
      return { ...e.merge([a, b], b) };
    }));

  sub('hide <personId>', 'hides a person (kept, out of the people list)')
    .action((id: string, o: Flags) => edit(flags(o), (e) => ({ personId: idArg(id, 'person id'), ...e.setHidden(idArg(id, 'person id'), true) })));

  sub('show <personId>', 'shows a hidden person again')
    .action((id: string, o: Flags) => edit(flags(o), (e) => ({ personId: idArg(id, 'person id'), ...e.setHidden(idArg(id, 'person id'), false) })));

  sub('move <faceId> <personId>', 'moves a face to a person, or to a new person with "new"; the face never returns to its old person')
    .action((face: string, to: string, o: Flags) => edit(flags(o), (e) => {
      const faceId = idArg(face, 'face id');
      return { faceId, ...e.moveFaces([faceId], to === 'new' ? null : idArg(to, 'person id')) };
    }));

  sub('ignore <faceIds...>', '"Ignore face": kept, but out of unassigned, suggestions and grouping (undo brings it back)')
    .action((faces: string[], o: Flags) => edit(flags(o), (e) => ({ faceIds: faces.map((f) => idArg(f, 'face id')), ...e.ignore(faces.map((f) => idArg(f, 'face id'))) })));

  sub('unignore <faceIds...>', 'brings ignored faces back to unassigned')
    .action((faces: string[], o: Flags) => edit(flags(o), (e) => ({ faceIds: faces.map((f) => idArg(f, 'face id')), ...e.unignore(faces.map((f) => idArg(f, 'face id'))) })));

  sub('undo', 'undoes the newest people edit (app or CLI)')
    .action((o: Flags) => edit(flags(o), (e) => {
      const r = e.undo();
      return { undone: r?.undone ?? null, summary: r?.summary ?? null };
    }));

  sub('faces <which>', 'the faces of a person (its id), or "unassigned" (with the people they plausibly are), or "ignored": face ids for move and ignore')
    .option('--limit <n>', 'most faces listed', '100')
    .action(async (which: string, o: Flags & { limit: string }) => {
      const lib = openLibrary(flags(o));
      try {
        libraryModelWithFaces(lib);
        const people = await lib.people();
        const page = { offset: 0, limit: idArg(o.limit, 'limit') };
        let out: { total: number; faces: { faceId: number; photoId: number; path: string; suggestions?: { personId: number; name: string | null; likelihood: string }[] }[] };
        if (which === 'unassigned') {
          const r = people.unassigned(page);
          out = { total: r.total, faces: r.faces.map((f) => ({ ...f, suggestions: plausible(withSimilarity(f.suggestions, people.modelId)) })) };
        } else if (which === 'ignored') {
          out = new PeopleEdits(lib.catalog, people).ignoredFaces(page);
        } else {
          try {
            out = people.personFaces(idArg(which, 'person id'), page);
          } catch (err) {
            if (err instanceof PeopleError) throw new CliError(err.message);
            throw err;
          }
        }
        if (flags(o).json) return printJson(out);
        for (const f of out.faces) {
          const offers = f.suggestions?.map((s) => `${s.name ?? `person ${s.personId}`} (${s.likelihood})`).join(', ');
          console.log(`${String(f.faceId).padStart(6)}  ${f.path}${offers ? `  maybe: ${offers}` : ''}`);
        }
        console.log(`${out.faces.length} of ${out.total} face(s)`);
      } finally {
        await lib.close();
      }
    });

  sub('history', 'the latest 50 people edits, newest first')
    .action(async (o: Flags) => {
      const lib = openLibrary(flags(o));
      try {
        const history = new PeopleEdits(lib.catalog, await lib.people()).history();
        if (flags(o).json) return printJson({ edits: history });
        if (!history.length) console.log('no edits yet');
        for (const h of history) console.log(`${String(h.id).padStart(5)}  ${new Date(h.at).toISOString().slice(0, 19).replace('T', ' ')}  ${h.summary}${h.undone ? ' (undone)' : ''}`);
      } finally {
        await lib.close();
      }
    });
}
