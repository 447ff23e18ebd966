// User decisions: name, hide, cover, merge, move, "not this person", confirm, and undo. A decision locks the
// faces it touches (assignment source 'user'), so clustering never re-groups them; each is logged with the
// state it replaced, so undo restores exactly that state.
import type { Face } from '../library/catalog/rows.ts';
import { dot } from '../math/vectors.ts';
import type { PeopleContext } from './context.ts';
import { PeopleError } from './types.ts';

/** The state a decision replaced: enough to put it back. */
export interface Snapshot {
  assignments: [faceId: number, personId: number | null, source: 'auto' | 'user' | null][];
  people: { id: number; name: string | null; hidden: boolean; coverFaceId: number | null; createdAt: number; existed: boolean }[];
  constraintIds: number[];
  /** Reject constraints re-pointed from a merged-away person to the survivor: [constraint id, old person]. */
  movedRejects?: [number, number][];
  /** Faces the decision ignored (undo un-ignores them) or un-ignored (undo ignores them again). */
  ignored?: number[];
  unignored?: number[];
  /** Faces drawn by hand that the decision added (undo deletes them) or removed (undo puts them back, same id). */
  addedFaces?: number[];
  removedFaces?: RemovedFace[];
}

/** A removed face as it was stored (embedding in base64, for the JSON log) and the people it was "not". */
export interface RemovedFace {
  face: Omit<Face, 'embedding'> & { embedding: string };
  rejectedPeople: number[];
}

export function toRemovedFace(face: Face, rejectedPeople: number[]): RemovedFace {
  return { face: { ...face, embedding: Buffer.from(face.embedding.buffer, face.embedding.byteOffset, face.embedding.byteLength).toString('base64') }, rejectedPeople };
}

function fromRemovedFace(r: RemovedFace): Face {
  const bytes = Buffer.from(r.face.embedding, 'base64');
  const embedding = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(embedding.buffer).set(bytes);
  return { ...r.face, embedding };
}

export class PeopleDecisions {
  constructor(private readonly ctx: PeopleContext) {}

  private get catalog() {
    return this.ctx.catalog;
  }

  private snapshot(faceIds: number[], personIds: number[]): Snapshot {
    return {
      assignments: faceIds.map((id) => {
        const a = this.catalog.people.assignment(id);
        return [id, a?.personId ?? null, a?.source ?? null];
      }),
      people: personIds.map((id) => {
        const p = this.catalog.people.get(id);
        return p ? { id, name: p.name, hidden: p.hidden, coverFaceId: p.coverFaceId, createdAt: p.createdAt, existed: true }
          : { id, name: null, hidden: false, coverFaceId: null, createdAt: 0, existed: false };
      }),
      constraintIds: [],
    };
  }

  private decide(kind: string, faceIds: number[], personIds: number[], act: (snap: Snapshot) => void): number {
    return this.catalog.transaction(() => {
      const snap = this.snapshot(faceIds, personIds);
      act(snap);
      return this.catalog.decisions.log(kind, snap);
    });
  }

  rename(personId: number, name: string): void {
    const clean = name.trim();
    if (!clean) throw new PeopleError('a name cannot be empty', 'INVALID');
    this.ctx.requirePerson(personId);
    this.decide('rename', this.ctx.faceIdsOf(personId), [personId], () => {
      this.catalog.people.update(personId, { name: clean });
      this.catalog.people.lockFaces(personId);
    });
  }

  setHidden(personId: number, hidden: boolean): void {
    this.ctx.requirePerson(personId);
    this.decide(hidden ? 'hide' : 'show', this.ctx.faceIdsOf(personId), [personId], () => {
      this.catalog.people.update(personId, { hidden });
      this.catalog.people.lockFaces(personId);
    });
  }

  setCover(personId: number, faceId: number): void {
    this.ctx.requirePerson(personId);
    if (this.catalog.people.assignment(faceId)?.personId !== personId) throw new PeopleError(`face ${faceId} is not a face of person ${personId}`, 'INVALID');
    this.decide('cover', this.ctx.faceIdsOf(personId), [personId], () => {
      this.catalog.people.update(personId, { coverFaceId: faceId });
      this.catalog.people.lockFaces(personId);
    });
  }

  /**
   * Merges people into one (the first named one, else `into`, else the largest). Where two faces of one
   * photo would end up together, the one further from the merged centroid is left unassigned.
   */
  merge(personIds: number[], into?: number): number {
    const ids = [...new Set(personIds)];
    if (ids.length < 2) throw new PeopleError('merging needs at least two people', 'INVALID');
    const people = ids.map((id) => this.ctx.requirePerson(id));
    const target = into ?? (people.find((p) => p.name)?.id ?? ids.sort((a, b) => this.ctx.faceIdsOf(b).length - this.ctx.faceIdsOf(a).length)[0]);
    if (!ids.includes(target)) throw new PeopleError(`person ${target} is not among the merged people`, 'INVALID');
    const faceIds = ids.flatMap((id) => this.ctx.faceIdsOf(id));
    this.decide('merge', faceIds, ids, (snap) => {
      snap.movedRejects = [];
      const faces = faceIds.map((id) => this.ctx.projectedFace(this.catalog.faces.get(id)!));
      const dim = faces[0]?.embedding.length ?? 0;
      const centre = new Float32Array(dim);
      for (const f of faces) for (let k = 0; k < dim; k++) centre[k] += f.embedding[k];
      const byPhoto = new Map<number, Face[]>();
      for (const f of faces) byPhoto.set(f.photoId, [...(byPhoto.get(f.photoId) ?? []), f]);
      for (const group of byPhoto.values()) {
        group.sort((a, b) => dot(b.embedding, centre) - dot(a.embedding, centre));
        this.catalog.people.assign(group[0].id, target, 'user');
        for (const extra of group.slice(1)) this.catalog.people.unassign(extra.id);
      }
      const named = people.find((p) => p.id === target)?.name ?? people.find((p) => p.name)?.name ?? null;
      this.catalog.people.update(target, { name: named, hidden: people.every((p) => p.hidden) });
      for (const p of people) {
        if (p.id === target) continue;
        // "Not this person" decisions against a merged-away person now apply to the survivor.
        for (const id of this.catalog.people.moveRejections(p.id, target)) snap.movedRejects!.push([id, p.id]);
        this.catalog.people.delete(p.id);
      }
    });
    return target;
  }

  /** Moves faces to a person (null: to a new person, named `newName` if given). Each face also rejects the person it left. */
  moveFaces(faceIds: number[], toPersonId: number | null, newName?: string): number {
    const faces = this.ctx.requireFaces(faceIds);
    if (toPersonId !== null) this.ctx.requirePerson(toPersonId);
    const photos = new Set<number>();
    for (const f of faces) {
      if (photos.has(f.photoId)) throw new PeopleError(`two of these faces are in the same photo (${f.photoId}); one photo cannot show a person twice`, 'CONFLICT');
      photos.add(f.photoId);
    }
    const from = [...new Set(faces.map((f) => this.catalog.people.assignment(f.id)?.personId).filter((p): p is number => p !== undefined))];
    let target = toPersonId ?? -1;
    const displaced = toPersonId === null ? [] : this.ctx.faceIdsOf(toPersonId).filter((id) => photos.has(this.catalog.faces.get(id)!.photoId) && !faceIds.includes(id));
    const fromFaces = from.flatMap((p) => this.ctx.faceIdsOf(p));
    this.decide('move', [...new Set([...faceIds, ...displaced, ...fromFaces])], [...from, ...(toPersonId === null ? [] : [toPersonId])], (snap) => {
      if (toPersonId === null) {
        target = this.catalog.people.create().id;
        // Named in the same decision: one undo takes back the face and the name.
        if (newName?.trim()) this.catalog.people.update(target, { name: newName.trim() });
        snap.people.push({ id: target, name: null, hidden: false, coverFaceId: null, createdAt: 0, existed: false });
      }
      // A face already in the target from the same photo was wrong: it leaves to make room.
      for (const id of displaced) this.catalog.people.unassign(id);
      for (const f of faces) {
        const old = this.catalog.people.assignment(f.id)?.personId;
        if (old !== undefined && old !== target) snap.constraintIds.push(...this.addReject(f.id, old));
        this.catalog.people.assign(f.id, target, 'user');
      }
      // The people the faces came from were looked at: what is left in them is confirmed.
      for (const p of from) if (p !== target) this.catalog.people.lockFaces(p);
    });
    return target;
  }

  private addReject(faceId: number, personId: number): number[] {
    const before = new Set(this.catalog.people.constraintsOfFace(faceId).map((c) => c.id));
    this.catalog.people.reject(faceId, personId);
    return this.catalog.people.constraintsOfFace(faceId).filter((c) => !before.has(c.id)).map((c) => c.id);
  }

  /** "Not this person": the faces leave the person and never return to it. */
  rejectFaces(faceIds: number[], personId: number): void {
    this.ctx.requireFaces(faceIds);
    this.ctx.requirePerson(personId);
    // The user looked at this person: the faces left in it are confirmed along with the rejection.
    this.decide('reject', [...new Set([...faceIds, ...this.ctx.faceIdsOf(personId)])], [personId], (snap) => {
      for (const id of faceIds) {
        snap.constraintIds.push(...this.addReject(id, personId));
        if (this.catalog.people.assignment(id)?.personId === personId) this.catalog.people.unassign(id);
      }
      this.catalog.people.lockFaces(personId);
    });
  }

  /** Accepts a suggestion: the faces join the person as confirmed members. */
  confirmFaces(faceIds: number[], personId: number): void {
    const faces = this.ctx.requireFaces(faceIds);
    this.ctx.requirePerson(personId);
    const taken = new Set(this.ctx.faceIdsOf(personId).map((id) => this.catalog.faces.get(id)!.photoId));
    for (const f of faces) {
      if (taken.has(f.photoId) && this.catalog.people.assignment(f.id)?.personId !== personId) {
        throw new PeopleError(`person ${personId} already has a face in photo ${f.photoId}`, 'CONFLICT');
      }
      taken.add(f.photoId);
    }
    this.decide('confirm', faceIds, [personId], () => {
      for (const f of faces) {
        const c = this.catalog.people.constraintsOfFace(f.id).find((k) => k.kind === 'reject' && k.personId === personId);
        if (c) this.catalog.people.removeConstraint(c.id);
        this.catalog.people.assign(f.id, personId, 'user');
      }
    });
  }

  /** Undoes the newest user decision, restoring the faces, people and constraints it changed. */
  undo(): { undone: string } | null {
    const last = this.catalog.decisions.last<Snapshot>();
    if (!last) return null;
    this.catalog.transaction(() => {
      const snap = last.payload;
      // Removed faces come back first: the assignments and covers below may point at them.
      for (const r of snap.removedFaces ?? []) {
        if (this.catalog.faces.get(r.face.id) || !this.catalog.photos.get(r.face.photoId)) continue;
        this.catalog.faces.restore(fromRemovedFace(r));
        for (const personId of r.rejectedPeople) if (this.catalog.people.get(personId)) this.catalog.people.reject(r.face.id, personId);
      }
      for (const p of snap.people) {
        if (!p.existed) continue;
        if (!this.catalog.people.get(p.id)) this.catalog.people.restore(p);
        else this.catalog.people.update(p.id, { name: p.name, hidden: p.hidden, coverFaceId: p.coverFaceId });
      }
      for (const id of snap.constraintIds) this.catalog.people.removeConstraint(id);
      for (const [id, personId] of snap.movedRejects ?? []) this.catalog.people.setRejectionPerson(id, personId);
      this.catalog.ignored.remove(snap.ignored ?? []);
      this.catalog.ignored.add(snap.unignored ?? []);
      for (const [faceId, personId, source] of snap.assignments) {
        if (!this.catalog.faces.get(faceId)) continue;
        if (personId === null || !this.catalog.people.get(personId)) this.catalog.people.unassign(faceId);
        else this.catalog.people.assign(faceId, personId, source ?? 'auto');
      }
      // Faces it drew go (never a detected face, whatever the log says).
      for (const id of snap.addedFaces ?? []) if (this.catalog.faces.get(id)?.source === 'manual') this.catalog.faces.delete(id);
      // People the decision created go once they hold no face.
      for (const p of snap.people) {
        if (!p.existed && this.catalog.people.get(p.id) && !this.ctx.faceIdsOf(p.id).length) this.catalog.people.delete(p.id);
      }
      this.catalog.decisions.markUndone(last.id);
    });
    return { undone: last.kind };
  }
}
