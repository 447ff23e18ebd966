// What the people views read: the list of people with counts and covers, and pages of faces.
import type { PeopleContext } from './context.ts';
import type { FaceRef, PersonSummary } from './types.ts';

export class PeopleReadModel {
  constructor(private readonly ctx: PeopleContext) {}

  listPeople(opts: { includeHidden?: boolean; search?: string } = {}): PersonSummary[] {
    const q = opts.search?.trim().toLowerCase();
    return this.ctx.catalog.people.summaries()
      .filter((r) => (opts.includeHidden || !r.hidden) && r.faceCount > 0)
      .filter((r) => !q || (r.name ?? 'unnamed').toLowerCase().includes(q))
      .map((r) => ({ ...r, coverFaceId: r.coverFaceId ?? this.ctx.catalog.people.bestFace(r.id) }));
  }

  /** One person as listPeople() shows it (undefined when it has no face left), without reading everyone. */
  person(personId: number): PersonSummary | undefined {
    const r = this.ctx.catalog.people.summary(personId);
    if (!r || r.faceCount === 0) return undefined;
    return { ...r, coverFaceId: r.coverFaceId ?? this.ctx.catalog.people.bestFace(r.id) };
  }

  personFaces(personId: number, page: { offset?: number; limit?: number } = {}): { total: number; faces: FaceRef[] } {
    this.ctx.requirePerson(personId);
    return this.ctx.catalog.people.facePage(this.ctx.modelId, { personId }, page);
  }

  unassignedFaces(page: { offset?: number; limit?: number } = {}): { total: number; faces: FaceRef[] } {
    return this.ctx.catalog.people.facePage(this.ctx.modelId, 'unassigned', page);
  }
}
