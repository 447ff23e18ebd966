// Names other tools gave faces (XMP regions recorded by the indexer) become user decisions through the people
// service's public decisions, so they follow every rule a name typed in FaceAtlas follows: logged, undoable,
// never overridden by re-clustering. A decision already made in FaceAtlas stands over an imported name.
import type { Catalog } from '../library/catalog/catalog.ts';
import type { RegionRecord } from '../library/catalog/xmp-store.ts';
import { PeopleEdits } from './edits.ts';
import { PeopleError, type PeopleService } from './service.ts';

export interface ImportedNamesResult {
  /** Faces that now carry their region's name. */
  applied: number;
  /** Regions whose face already had a decision made in FaceAtlas (another name, "not this person"). */
  kept: number;
  /** Regions that would put a person twice in one photo. */
  conflicts: number;
  /** People created for names not seen before. */
  newPeople: number;
}

function personNamed(catalog: Catalog, name: string): number | undefined {
  return catalog.people.all().find((p) => p.name === name)?.id;
}

/** Applies every pending imported name, each face as one logged, undoable decision (confirm). */
export function applyImportedNames(people: PeopleService): ImportedNamesResult {
  const catalog = people.catalog;
  const result: ImportedNamesResult = { applied: 0, kept: 0, conflicts: 0, newPeople: 0 };
  // Through the edits layer, so the history says in words what each import did, like any other edit.
  const edits = new PeopleEdits(catalog, people);
  const settle = (r: RegionRecord, status: 'applied' | 'kept' | 'conflict', message: string | null = null) => {
    catalog.xmp.setRegionStatus(r.id, status, message);
    if (status === 'applied') result.applied++;
    else if (status === 'kept') result.kept++;
    else result.conflicts++;
  };
  for (const region of catalog.xmp.pendingRegions()) {
    const faceId = region.faceId!;
    const name = region.name!.trim();
    const assignment = catalog.people.assignment(faceId);
    const current = assignment ? catalog.people.get(assignment.personId) : undefined;
    const existing = personNamed(catalog, name);
    if (current?.name === name) {
      if (assignment!.source !== 'user') edits.confirm([faceId], current.id);
      settle(region, 'applied');
      continue;
    }
    if (assignment?.source === 'user') {
      settle(region, 'kept', `the face is ${current?.name ? `"${current.name}"` : 'in another person'} by a decision made in FaceAtlas`);
      continue;
    }
    const rejected = existing !== undefined && catalog.people.constraintsOfFace(faceId).some((c) => c.kind === 'reject' && c.personId === existing);
    if (rejected) {
      settle(region, 'kept', `the face was marked "not ${name}" in FaceAtlas`);
      continue;
    }
    try {
      if (existing !== undefined) {
        edits.confirm([faceId], existing);
      } else {
        // A new, empty named person, then the face confirmed into it (one logged decision). Not moveFaces:
        // that would also mark the face "not" its automatic group and lock the group's other faces.
        const person = catalog.people.create(name);
        edits.confirm([faceId], person.id);
        result.newPeople++;
      }
      settle(region, 'applied');
    } catch (err) {
      if (!(err instanceof PeopleError) || err.code !== 'CONFLICT') throw err;
      settle(region, 'conflict', err.message);
    }
  }
  return result;
}
