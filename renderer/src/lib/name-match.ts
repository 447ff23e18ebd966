// Which named people a typed name could mean: the autocomplete of every name field (naming a face, naming
// or renaming a person, search by people).
import type { PersonSummary } from '../../../shared/api.ts';

/**
 * Named people whose name contains `query` (any case), those whose name starts with it first, then the
 * people with the most faces; an empty query matches every named person. At most `limit`.
 */
export function peopleMatching(people: readonly PersonSummary[], query: string, limit: number): PersonSummary[] {
  const q = query.trim().toLowerCase();
  const starts = (p: PersonSummary): boolean => p.name!.toLowerCase().startsWith(q);
  return people
    .filter((p) => p.name && p.name.toLowerCase().includes(q))
    .sort((a, b) => Number(starts(b)) - Number(starts(a)) || b.faceCount - a.faceCount)
    .slice(0, limit);
}

/** The person already called exactly `name` (trimmed, any case), if any. */
export function personNamed(people: readonly PersonSummary[], name: string): PersonSummary | null {
  const n = name.trim().toLowerCase();
  return (n && people.find((p) => p.name?.trim().toLowerCase() === n)) || null;
}
