// People: faces grouped into identities by L2 distance, incrementally, with user decisions as hard
// constraints. One object for callers, composed of four parts with one job each:
//   read-model.ts   the people list and pages of faces
//   suggestions.ts  centroids and "who is this" rankings
//   grouping.ts     incremental assignment and re-clustering of undecided faces, new faces joining people
//                   through the person index (person-index-store.ts, kept on disk between processes)
//   decisions.ts    name, merge, move, reject, hide, cover, confirm, and undo
import type { Catalog } from '../library/catalog/catalog.ts';
import { PeopleContext } from './context.ts';
import { PeopleDecisions } from './decisions.ts';
import { PeopleGrouping } from './grouping.ts';
import { PersonIndexStore } from './person-index-store.ts';
import type { PersonIndexRefresh } from './person-index-store.ts';
import { PeopleReadModel } from './read-model.ts';
import { PeopleSuggestions } from './suggestions.ts';
import type { FaceRef, PeopleOptions, PersonSummary, Suggestion } from './types.ts';

export { PeopleError, type FaceRef, type PeopleOptions, type PersonSummary, type Suggestion } from './types.ts';

export class PeopleService {
  readonly read: PeopleReadModel;
  readonly suggestions: PeopleSuggestions;
  readonly grouping: PeopleGrouping;
  readonly decisions: PeopleDecisions;
  private readonly ctx: PeopleContext;

  constructor(readonly catalog: Catalog, opts: PeopleOptions = {}) {
    this.ctx = new PeopleContext(catalog, opts);
    this.read = new PeopleReadModel(this.ctx);
    // One person index (kept on disk when the context names a file) for suggestions and grouping alike.
    const personIndex = new PersonIndexStore(this.ctx, this.ctx.personIndexFile);
    this.suggestions = new PeopleSuggestions(this.ctx, personIndex);
    this.grouping = new PeopleGrouping(this.ctx, this.read, personIndex);
    this.decisions = new PeopleDecisions(this.ctx);
  }

  get modelId(): string { return this.ctx.modelId; }
  get threshold(): number { return this.ctx.threshold; }
  get pairThreshold(): number { return this.ctx.pairThreshold; }
  get assignThreshold(): number { return this.ctx.assignThreshold; }
  get minFaces(): number { return this.ctx.minFaces; }

  // Reading
  listPeople(opts: { includeHidden?: boolean; search?: string } = {}): PersonSummary[] { return this.read.listPeople(opts); }
  person(personId: number): PersonSummary | undefined { return this.read.person(personId); }
  personFaces(personId: number, page: { offset?: number; limit?: number } = {}): { total: number; faces: FaceRef[] } { return this.read.personFaces(personId, page); }
  unassigned(page: { offset?: number; limit?: number } = {}): { total: number; faces: (FaceRef & { suggestions: Suggestion[] })[] } {
    const { total, faces } = this.read.unassignedFaces(page);
    return { total, faces: this.suggestions.forFaces(faces) };
  }
  whoIs(raw: Float32Array, limit?: number): Suggestion[] { return this.suggestions.whoIs(raw, limit); }
  suggestMerges(personId: number, limit?: number): Suggestion[] { return this.suggestions.suggestMerges(personId, limit); }

  // Automatic grouping
  assignNew(faceIds?: number[]): { assigned: number; unassigned: number; people: number } { return this.grouping.assignNew(faceIds); }
  recluster(): { people: number; assigned: number; unassigned: number } { return this.grouping.recluster(); }
  /** How the person index was last brought up to date (from memory, its file or the catalog), and in how long. */
  personIndexRefresh(): PersonIndexRefresh | null { return this.grouping.personIndex.lastRefresh; }

  // User decisions
  rename(personId: number, name: string): void { this.decisions.rename(personId, name); }
  setHidden(personId: number, hidden: boolean): void { this.decisions.setHidden(personId, hidden); }
  setCover(personId: number, faceId: number): void { this.decisions.setCover(personId, faceId); }
  merge(personIds: number[], into?: number): number { return this.decisions.merge(personIds, into); }
  moveFaces(faceIds: number[], toPersonId: number | null, newName?: string): number { return this.decisions.moveFaces(faceIds, toPersonId, newName); }
  rejectFaces(faceIds: number[], personId: number): void { this.decisions.rejectFaces(faceIds, personId); }
  confirmFaces(faceIds: number[], personId: number): void { this.decisions.confirmFaces(faceIds, personId); }
  undo(): { undone: string } | null { return this.decisions.undo(); }
}
