// One person's photos as a list to take elsewhere (a spreadsheet, a script, another app): CSV or JSON.
import type { Catalog } from '../library/catalog/catalog.ts';
import { PeopleError } from './service.ts';

export interface PhotoListEntry {
  path: string;
  photoId: number;
  faceId: number;
  /** The face box in pixels of the upright photo. */
  box: { x: number; y: number; width: number; height: number };
  /** true: a user decision; false: grouped automatically. */
  confirmed: boolean;
  /** Milliseconds since the epoch (EXIF), or null. */
  takenAt: number | null;
}

export interface PhotoList {
  person: { id: number; name: string | null };
  photos: PhotoListEntry[];
}

/** `person`: an id, or a name (exactly as written; several people of one name is an error naming their ids). */
export function personPhotoList(catalog: Catalog, person: string | number): PhotoList {
  const asId = typeof person === 'number' ? person : /^\d+$/.test(person.trim()) ? Number(person) : null;
  const matches = asId !== null ? [catalog.people.get(asId)].filter((p) => p !== undefined) : catalog.people.all().filter((p) => p.name === String(person).trim());
  if (!matches.length) throw new PeopleError(`no person ${asId !== null ? `with id ${asId}` : `named "${person}"`}`, 'NOT_FOUND');
  if (matches.length > 1) throw new PeopleError(`${matches.length} people are named "${person}" (ids ${matches.map((p) => p.id).join(', ')}): give an id`, 'INVALID');
  const p = matches[0];
  const photos: PhotoListEntry[] = [];
  for (const a of catalog.people.assignmentsOf(p.id)) {
    const face = catalog.faces.get(a.faceId);
    const photo = face && catalog.photos.get(face.photoId);
    if (!face || !photo || photo.status !== 'ok') continue;
    photos.push({ path: photo.path, photoId: photo.id, faceId: face.id, box: face.box, confirmed: a.source === 'user', takenAt: photo.takenAt });
  }
  photos.sort((x, y) => (x.takenAt ?? Infinity) - (y.takenAt ?? Infinity) || (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return { person: { id: p.id, name: p.name }, photos };
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. */
const csvField = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Text a spreadsheet must not run: a name starting with = + - @ (or a tab or CR) is a formula to Excel and
 * LibreOffice ("CSV injection"), and names come from XMP files other tools wrote. A leading ' keeps it text.
 */
const csvText = (s: string): string => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

export function photoListCsv(list: PhotoList): string {
  const head = ['path', 'taken_at', 'photo_id', 'face_id', 'x', 'y', 'width', 'height', 'confirmed', 'person_id', 'person_name'];
  const rows = list.photos.map((e) => [
    csvText(e.path), e.takenAt === null ? '' : new Date(e.takenAt).toISOString(), e.photoId, e.faceId,
    Math.round(e.box.x), Math.round(e.box.y), Math.round(e.box.width), Math.round(e.box.height), e.confirmed, list.person.id, csvText(list.person.name ?? ''),
  ]);
  return [head, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export type PhotoListFormat = 'csv' | 'json';

/** The list as the CLI prints it and the person page downloads it: CSV, or one JSON object and a newline. */
export function photoListText(list: PhotoList, format: PhotoListFormat): string {
  return format === 'json' ? `${JSON.stringify(list)}\n` : photoListCsv(list);
}

/** A file name for the list, after the person: "Penny Hofstadter - photos.csv" (characters no file system takes become "_"). */
export function photoListFileName(list: PhotoList, format: PhotoListFormat): string {
  // eslint-disable-next-line no-control-regex
  const name = (list.person.name ?? `person ${list.person.id}`).replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '_').replace(/^[\s.]+|[\s.]+$/g, '').slice(0, 120) || `person ${list.person.id}`;
  return `${name} - photos.${format}`;
}
