// People edits in plain words: every user decision of the people service, each logged with one line a
// person understands ("Moved 1 face to Penny"), the undo history those lines make, "Ignore face", and
// merges that keep the better cover. The service does the grouping work; this adds the words and the
// few decisions that are not about grouping.
import type { Catalog } from '../library/catalog/catalog.ts';
import { LOG_ONLY_KINDS } from '../library/catalog/decisions.ts';
import type { IgnoredFaceRow } from '../library/catalog/ignored-faces.ts';
import type { AnalysedFace } from '../face/types.ts';
import { removeManualFace } from '../library/manual-faces.ts';
import { type Snapshot, toRemovedFace } from './decisions.ts';
import { PeopleError, type PeopleService } from './service.ts';

/** One entry of the undo history. */
export interface Edit {
  id: number;
  kind: string;
  summary: string;
  at: number;
  undone: boolean;
  /** Undo can revert it: not undone yet, and a decision rather than a record kept to be read. */
  undoable: boolean;
}

/** What an edit did, in words, and the person it left in view (merge and move). */
export interface EditResult {
  summary: string;
  personId?: number;
}

/** How many edits the history shows (the log keeps them all). */
export const HISTORY_LIMIT = 50;

const faces = (n: number): string => `${n} face${n === 1 ? '' : 's'}`;

/** Words for decisions logged before summaries were stored. */
const KIND_WORDS: Record<string, string> = {
  rename: 'Named a person', merge: 'Merged people', move: 'Moved faces', reject: 'Removed faces from a person',
  confirm: 'Confirmed faces', hide: 'Hid a person', show: 'Showed a person', cover: 'Changed a cover',
  ignore: 'Ignored faces', unignore: 'Restored ignored faces', 'add-face': 'Added a face', 'remove-face': 'Removed a face',
  'reindex-removed-faces': 'A changed photo lost faces you had named or drawn (cannot be undone)',
};

/** A photo's file name, for sentences ("Added a face to IMG_0042.jpg"); either separator. */
const fileName = (p: string): string => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);

/** How good a face is as a person's cover: frontal, large (up to 200 px) and sharp. */
export function coverScore(q: { size: number; sharpness: number; frontal: number }): number {
  return q.frontal * Math.min(q.size, 200) * Math.log1p(Math.max(0, q.sharpness));
}

export class PeopleEdits {
  constructor(private readonly catalog: Catalog, private readonly people: PeopleService) {}

  /** A person as a sentence names them: their name, or "an unnamed person". */
  private who(personId: number | null): string {
    if (personId === null) return 'a new person';
    return this.catalog.people.get(personId)?.name ?? 'an unnamed person';
  }

  private faceCount(personId: number): number {
    return this.catalog.people.assignmentsOf(personId).length;
  }

  /** Runs a service decision and stores its words with the decision it logged. */
  private logged<T>(summary: (result: T) => string, fn: () => T): { result: T; summary: string } {
    return this.catalog.transaction(() => {
      const before = this.catalog.decisions.last()?.id ?? 0;
      const result = fn();
      const words = summary(result);
      const last = this.catalog.decisions.last();
      if (last && last.id > before) this.catalog.decisions.describe(last.id, words);
      return { result, summary: words };
    });
  }

  rename(personId: number, name: string): EditResult {
    const old = this.catalog.people.get(personId)?.name ?? null;
    return { summary: this.logged(() => (old ? `Renamed ${old} to ${name.trim()}` : `Named a person ${name.trim()}`), () => this.people.rename(personId, name)).summary };
  }

  /** Merges people; the survivor keeps the best cover among theirs (sharpest, most frontal, largest). */
  merge(personIds: number[], into?: number): EditResult {
    const ids = [...new Set(personIds)];
    const before = new Map(ids.map((id) => [id, { name: this.catalog.people.get(id)?.name ?? null, faces: this.faceCount(id) }]));
    const covers = this.people.listPeople({ includeHidden: true }).filter((p) => ids.includes(p.id) && p.coverFaceId !== null).map((p) => p.coverFaceId!);
    const { result: target, summary } = this.logged((target: number) => {
      const others = ids.filter((id) => id !== target).map((id) => before.get(id)!);
      const into = before.get(target)!;
      const list = others.map((o) => `${o.name ?? 'an unnamed person'} (${faces(o.faces)})`).join(', ');
      return `Merged ${list} into ${into.name ?? 'an unnamed person'} (${faces(into.faces)})`;
    }, () => {
      const target = this.people.merge(ids, into);
      const best = covers
        .filter((id) => this.catalog.people.assignment(id)?.personId === target)
        .map((id) => ({ id, score: coverScore(this.catalog.faces.get(id)!.quality) }))
        .sort((a, b) => b.score - a.score)[0];
      // Inside the merge's transaction: undoing the merge restores the survivor's old cover too.
      if (best) this.catalog.people.update(target, { coverFaceId: best.id });
      return target;
    });
    return { summary, personId: target };
  }

  /** `newName`: the name of the new person (toPersonId null), given in the same decision. */
  moveFaces(faceIds: number[], toPersonId: number | null, newName?: string): EditResult {
    const { result, summary } = this.logged(
      (target: number) => `Moved ${faces(faceIds.length)} to ${toPersonId === null ? (newName?.trim() ? `a new person, ${newName.trim()}` : 'a new person') : this.who(target)}`,
      () => this.people.moveFaces(faceIds, toPersonId, newName),
    );
    return { summary, personId: result };
  }

  reject(faceIds: number[], personId: number): EditResult {
    return { summary: this.logged(() => `Removed ${faces(faceIds.length)} from ${this.who(personId)}`, () => this.people.rejectFaces(faceIds, personId)).summary };
  }

  confirm(faceIds: number[], personId: number): EditResult {
    return { summary: this.logged(() => `Added ${faces(faceIds.length)} to ${this.who(personId)}`, () => this.people.confirmFaces(faceIds, personId)).summary };
  }

  setHidden(personId: number, hidden: boolean): EditResult {
    return { summary: this.logged(() => `${hidden ? 'Hid' : 'Showed'} ${this.who(personId)}`, () => this.people.setHidden(personId, hidden)).summary };
  }

  setCover(personId: number, faceId: number): EditResult {
    return { summary: this.logged(() => `Changed the cover of ${this.who(personId)}`, () => this.people.setCover(personId, faceId)).summary };
  }

  /**
   * "Ignore face": the faces leave their person (if any) and stay out of unassigned, suggestions and
   * grouping. Undoable like any decision.
   */
  ignore(faceIds: number[]): EditResult {
    const ids = this.requireFaces(faceIds);
    return this.catalog.transaction(() => {
      const snap: Snapshot = { assignments: [], people: [], constraintIds: [] };
      for (const id of ids) {
        const a = this.catalog.people.assignment(id);
        snap.assignments.push([id, a?.personId ?? null, a?.source ?? null]);
        if (a) this.catalog.people.unassign(id);
      }
      snap.ignored = this.catalog.ignored.add(ids);
      const summary = `Ignored ${faces(ids.length)}`;
      this.catalog.decisions.describe(this.catalog.decisions.log('ignore', snap), summary);
      return { summary };
    });
  }

  /** Brings ignored faces back to unassigned (they may be grouped again). */
  unignore(faceIds: number[]): EditResult {
    const ids = this.requireFaces(faceIds);
    return this.catalog.transaction(() => {
      const snap: Snapshot = { assignments: [], people: [], constraintIds: [], unignored: this.catalog.ignored.remove(ids) };
      const summary = `Restored ${faces(ids.length)} to unassigned`;
      this.catalog.decisions.describe(this.catalog.decisions.log('unignore', snap), summary);
      return { summary };
    });
  }

  /**
   * A face drawn by hand joins its photo (and, with `personId`, that person, confirmed) as one decision:
   * undo takes the face out again.
   */
  addFace(photoId: number, face: AnalysedFace, detectorId: string, personId?: number): EditResult & { faceId: number } {
    const photo = this.catalog.photos.get(photoId);
    if (!photo) throw new PeopleError(`photo ${photoId} does not exist`, 'NOT_FOUND');
    if (personId !== undefined) {
      if (!this.catalog.people.get(personId)) throw new PeopleError(`person ${personId} does not exist`, 'NOT_FOUND');
      if (this.catalog.faces.ofPhoto(photoId).some((f) => this.catalog.people.assignment(f.id)?.personId === personId)) {
        throw new PeopleError(`${this.who(personId)} already has a face in this photo; one photo cannot show a person twice`, 'CONFLICT');
      }
    }
    return this.catalog.transaction(() => {
      const faceId = this.catalog.faces.insert(photoId, face, detectorId);
      const snap: Snapshot = { assignments: [[faceId, null, null]], people: [], constraintIds: [], addedFaces: [faceId] };
      if (personId !== undefined) this.catalog.people.assign(faceId, personId, 'user');
      const summary = `Added a face${personId === undefined ? '' : ` of ${this.who(personId)}`} to ${fileName(photo.path)}`;
      this.catalog.decisions.describe(this.catalog.decisions.log('add-face', snap), summary);
      return { summary, faceId };
    });
  }

  /** Removes a face drawn by hand (a detected one cannot be); undo puts it back with its person. */
  removeFace(faceId: number): EditResult {
    return this.catalog.transaction(() => {
      const face = this.catalog.faces.get(faceId);
      const a = this.catalog.people.assignment(faceId);
      const covering = this.catalog.people.all().filter((p) => p.coverFaceId === faceId);
      const rejects = this.catalog.people.constraintsOfFace(faceId).filter((c) => c.kind === 'reject' && c.faceId === faceId).map((c) => c.personId!);
      const photo = face && this.catalog.photos.get(face.photoId);
      removeManualFace(this.catalog, faceId); // checks it exists and was drawn by hand
      const snap: Snapshot = {
        assignments: [[faceId, a?.personId ?? null, a?.source ?? null]],
        people: covering.map((p) => ({ id: p.id, name: p.name, hidden: p.hidden, coverFaceId: p.coverFaceId, createdAt: p.createdAt, existed: true })),
        constraintIds: [],
        removedFaces: [toRemovedFace(face!, rejects)],
      };
      const summary = `Removed a face${a ? ` of ${this.who(a.personId)}` : ''} from ${photo ? fileName(photo.path) : 'its photo'}`;
      this.catalog.decisions.describe(this.catalog.decisions.log('remove-face', snap), summary);
      return { summary };
    });
  }

  ignoredFaces(page: { offset?: number; limit?: number } = {}): { total: number; faces: IgnoredFaceRow[] } {
    return this.catalog.ignored.page(this.people.modelId, page.offset ?? 0, page.limit ?? 100);
  }

  /** Undoes the newest edit; null when there is none. */
  undo(): { undone: string; summary: string } | null {
    const last = this.catalog.decisions.last<{ summary?: string }>();
    const r = this.people.undo();
    if (!r || !last) return null;
    return { undone: r.undone, summary: `Undid: ${last.payload.summary ?? KIND_WORDS[last.kind] ?? last.kind}` };
  }

  /** The newest edits first, undone ones included (marked), at most HISTORY_LIMIT. */
  history(limit = HISTORY_LIMIT): Edit[] {
    return this.catalog.decisions.list<{ summary?: string }>({ includeUndone: true, limit: Math.min(limit, HISTORY_LIMIT) }).map((d) => ({
      id: d.id,
      kind: d.kind,
      summary: d.payload.summary ?? KIND_WORDS[d.kind] ?? d.kind,
      at: d.createdAt,
      undone: d.undoneAt !== null,
      undoable: d.undoneAt === null && !LOG_ONLY_KINDS.includes(d.kind),
    }));
  }

  private requireFaces(faceIds: number[]): number[] {
    const ids = [...new Set(faceIds)];
    if (!ids.length) throw new PeopleError('no faces given', 'INVALID');
    for (const id of ids) if (!this.catalog.faces.get(id)) throw new PeopleError(`face ${id} does not exist`, 'NOT_FOUND');
    return ids;
  }
}
