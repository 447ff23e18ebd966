// The autocomplete rule shared by every name field: which people a typed name offers, in which order.
import { describe, expect, it } from 'vitest';
import type { PersonSummary } from '../../shared/api.ts';
import { peopleMatching, personNamed } from '../../renderer/src/lib/name-match.ts';

const person = (id: number, name: string | null, faceCount: number): PersonSummary =>
  ({ id, name, faceCount, photoCount: faceCount, coverFaceId: null, hidden: false }) as unknown as PersonSummary;

const people = [person(1, 'Penny', 3), person(2, 'Leonard Hofstadter', 40), person(3, 'Bernadette', 12), person(4, null, 99), person(5, 'Amy Penn', 7)];

describe('peopleMatching', () => {
  it('offers names containing the text, those starting with it first, then by faces; never unnamed people', () => {
    expect(peopleMatching(people, 'pen', 8).map((p) => p.id)).toEqual([1, 5]);
    expect(peopleMatching(people, '  N ', 8).map((p) => p.id)).toEqual([2, 3, 5, 1]);
    expect(peopleMatching(people, '', 2).map((p) => p.id)).toEqual([2, 3]);
    expect(peopleMatching(people, 'zed', 8)).toEqual([]);
  });

  it('finds the person typed exactly, whatever the case and spaces', () => {
    expect(personNamed(people, ' penny ')?.id).toBe(1);
    expect(personNamed(people, 'Pen')).toBeNull();
    expect(personNamed(people, '   ')).toBeNull();
  });
});
