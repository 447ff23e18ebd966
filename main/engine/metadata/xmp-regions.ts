// Face regions other tools wrote as XMP, read through ExifTool: the Metadata Working Group's mwg-rs:Regions
// (Picasa, digiKam, Lightroom Classic, Immich; normalised centre x, y, w, h) and Microsoft Photo's
// MP:RegionInfo (Windows Photo Gallery; digiKam writes both), embedded in the photo and in sidecars
// (`photo.jpg.xmp`, digiKam's and darktable's naming, and `photo.xmp`, Lightroom's).
//
// Frames: MWG areas are fractions of the image as stored, before the EXIF orientation turns it
// (AppliedToDimensions then holds the stored width and height); a few writers use the upright image instead,
// which shows as AppliedToDimensions equal to the upright size of a turned photo. Regions here are always
// returned as fractions of the upright image, the frame faces live in.
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { boxIoU as unitIoU } from '../math/boxes.ts';
import { exiftool } from './exiftool.ts';

/** A box in fractions of the upright image: top-left corner and size. */
export interface UnitBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceRegion {
  name: string | null;
  box: UnitBox;
  format: 'mwg' | 'mp';
  /** The file it was read from: the photo itself (embedded XMP) or a sidecar. */
  source: string;
}

export interface RegionProblem {
  code: 'XMP_UNREADABLE' | 'REGION_OUTSIDE_IMAGE' | 'REGION_INVALID';
  message: string;
  source: string;
}

export interface UprightImage {
  /** Size after the orientation is applied. */
  width: number;
  height: number;
  orientation: number;
}

type Point = [number, number];

/** Where a point (fractions of the stored image) lands in the upright image for EXIF orientation o. */
export function storedToUpright([u, v]: Point, o: number): Point {
  switch (o) {
    case 2: return [1 - u, v];
    case 3: return [1 - u, 1 - v];
    case 4: return [u, 1 - v];
    case 5: return [v, u];
    case 6: return [1 - v, u];
    case 7: return [1 - v, 1 - u];
    case 8: return [v, 1 - u];
    default: return [u, v];
  }
}

/** The inverse of storedToUpright: 6 and 8 undo each other, every other orientation undoes itself. */
export function uprightToStored(p: Point, o: number): Point {
  return storedToUpright(p, o === 6 ? 8 : o === 8 ? 6 : o);
}

function mapBox(b: UnitBox, map: (p: Point) => Point): UnitBox {
  const [ax, ay] = map([b.x, b.y]);
  const [bx, by] = map([b.x + b.width, b.y + b.height]);
  return { x: Math.min(ax, bx), y: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) };
}

/** Whether the writer used the stored frame (the MWG rule) or, judging by AppliedToDimensions, the upright one. */
export function writtenInStoredFrame(image: UprightImage, applied?: { W?: unknown; H?: unknown }): boolean {
  const swaps = image.orientation >= 5 && image.orientation <= 8;
  const w = Number(applied?.W), h = Number(applied?.H);
  if (!swaps || !(w > 0 && h > 0) || w === h) return true;
  // Same aspect as the upright image (and not the stored one): the writer measured the turned photo.
  return !(Math.abs(w / h - image.width / image.height) < 0.01);
}

export function toUpright(b: UnitBox, image: UprightImage, storedFrame: boolean): UnitBox {
  return storedFrame ? mapBox(b, (p) => storedToUpright(p, image.orientation)) : b;
}

export function toStored(b: UnitBox, orientation: number): UnitBox {
  return mapBox(b, (p) => uprightToStored(p, orientation));
}

/** Up to this far outside the image (fractions) counts as rounding; the part inside is kept. */
const EDGE_SLACK = 0.02;

function checkBox(b: UnitBox, source: string, label: string, problems: RegionProblem[]): UnitBox | null {
  if (![b.x, b.y, b.width, b.height].every(Number.isFinite) || b.width <= 0 || b.height <= 0) {
    problems.push({ code: 'REGION_INVALID', message: `${label}: not a box (x ${b.x}, y ${b.y}, w ${b.width}, h ${b.height})`, source });
    return null;
  }
  const x1 = Math.max(0, b.x), y1 = Math.max(0, b.y);
  const x2 = Math.min(1, b.x + b.width), y2 = Math.min(1, b.y + b.height);
  const outside = b.x < -EDGE_SLACK || b.y < -EDGE_SLACK || b.x + b.width > 1 + EDGE_SLACK || b.y + b.height > 1 + EDGE_SLACK;
  if (x2 <= x1 || y2 <= y1 || (outside && (x2 - x1) * (y2 - y1) < 0.5 * b.width * b.height)) {
    problems.push({ code: 'REGION_OUTSIDE_IMAGE', message: `${label}: lies outside the image (x ${b.x.toFixed(3)}, y ${b.y.toFixed(3)}, w ${b.width.toFixed(3)}, h ${b.height.toFixed(3)}); skipped`, source });
    return null;
  }
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);

interface MwgRegion { Area?: { X?: unknown; Y?: unknown; W?: unknown; H?: unknown; Unit?: unknown }; Name?: unknown; Type?: unknown }
interface MpRegion { PersonDisplayName?: unknown; Rectangle?: unknown }

/** Face regions in one file's tags (as exiftool-vendored reads them, structures kept). */
export function regionsFromTags(tags: Record<string, unknown>, source: string, image: UprightImage): { regions: FaceRegion[]; problems: RegionProblem[] } {
  const regions: FaceRegion[] = [];
  const problems: RegionProblem[] = [];
  const info = tags.RegionInfo as { AppliedToDimensions?: { W?: unknown; H?: unknown }; RegionList?: MwgRegion[] } | undefined;
  if (info?.RegionList) {
    const stored = writtenInStoredFrame(image, info.AppliedToDimensions);
    (Array.isArray(info.RegionList) ? info.RegionList : [info.RegionList]).forEach((r, i) => {
      const type = text(r.Type);
      if (type && type.toLowerCase() !== 'face') return; // pets, focus points, barcodes
      const a = r.Area ?? {};
      const unit = text(a.Unit);
      const w = Number(a.W), h = Number(a.H);
      // MWG areas are centred; the unit is "normalized" (the only one the spec allows for areas).
      const centred = { x: Number(a.X) - w / 2, y: Number(a.Y) - h / 2, width: w, height: h };
      if (unit && unit.toLowerCase() !== 'normalized') {
        problems.push({ code: 'REGION_INVALID', message: `MWG region ${i + 1}: area unit "${unit}" is not "normalized"; skipped`, source });
        return;
      }
      const box = checkBox(toUpright(centred, image, stored), source, `MWG region ${i + 1}${text(r.Name) ? ` (${text(r.Name)})` : ''}`, problems);
      if (box) regions.push({ name: text(r.Name), box, format: 'mwg', source });
    });
  }
  const mp = tags.RegionInfoMP as { Regions?: MpRegion[] } | undefined;
  if (mp?.Regions) {
    (Array.isArray(mp.Regions) ? mp.Regions : [mp.Regions]).forEach((r, i) => {
      const nums = String(r.Rectangle ?? '').split(',').map((s) => Number(s.trim()));
      const raw = nums.length === 4 ? { x: nums[0], y: nums[1], width: nums[2], height: nums[3] } : { x: NaN, y: NaN, width: NaN, height: NaN };
      const name = text(r.PersonDisplayName);
      const box = checkBox(toUpright(raw, image, true), source, `Microsoft Photo region ${i + 1}${name ? ` (${name})` : ''}`, problems);
      if (!box) return;
      // digiKam writes each face in both schemas: the MWG copy stands.
      if (regions.some((g) => g.format === 'mwg' && unitIoU(g.box, box) > 0.5)) return;
      regions.push({ name, box, format: 'mp', source });
    });
  }
  return { regions, problems };
}

export { boxIoU as unitIoU } from '../math/boxes.ts';

/** Sidecars that belong to a photo, in both naming conventions, for it and for the RAW files of the same shot. */
export function sidecarsOf(photo: string, companions: string[] = []): string[] {
  const names = [photo, ...companions].flatMap((f) => [`${f}.xmp`, path.join(path.dirname(f), `${path.basename(f, path.extname(f))}.xmp`)]);
  return [...new Set(names)].filter((f) => existsSync(f) || existsSync(f.replace(/\.xmp$/, '.XMP')))
    .map((f) => (existsSync(f) ? f : f.replace(/\.xmp$/, '.XMP')));
}

/** Namespaces of the region schemas, as they appear in an XMP packet. */
const REGION_NAMESPACES = ['http://www.metadataworkinggroup.com/schemas/regions/', 'http://ns.microsoft.com/photo/1.2/t/Region'];

/**
 * Whether a JPEG's metadata segments (everything before the image data) mention a region schema: a cheap
 * look that spares starting ExifTool for the many photos that hold none. Other formats keep XMP in places
 * only ExifTool knows (HEIF items, RAW IFDs), so for them the answer is always "maybe".
 */
export async function mayHoldEmbeddedRegions(photo: string): Promise<boolean> {
  if (!/\.jpe?g$/i.test(photo)) return true;
  const fh = await open(photo, 'r').catch(() => null);
  if (!fh) return true;
  try {
    const head = Buffer.alloc(4);
    let pos = 2;
    const soi = Buffer.alloc(2);
    await fh.read(soi, 0, 2, 0);
    if (soi[0] !== 0xff || soi[1] !== 0xd8) return true;
    for (;;) {
      const { bytesRead } = await fh.read(head, 0, 4, pos);
      if (bytesRead < 4 || head[0] !== 0xff) return false;
      const marker = head[1];
      if (marker === 0xda || marker === 0xd9) return false; // image data: no metadata after this
      const length = head.readUInt16BE(2);
      if (marker === 0xe1) {
        const body = Buffer.alloc(length - 2);
        await fh.read(body, 0, body.length, pos + 4);
        const text = body.toString('latin1');
        if (REGION_NAMESPACES.some((ns) => text.includes(ns))) return true;
      }
      pos += 2 + length;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Every face region of a photo: its sidecars first (where tools write edits), then its embedded XMP; a region
 * that repeats one already read (IoU above 0.5) is the same face written twice and is dropped.
 */
export async function readPhotoRegions(photo: string, image: UprightImage, companions: string[] = []): Promise<{ regions: FaceRegion[]; problems: RegionProblem[] }> {
  const regions: FaceRegion[] = [];
  const problems: RegionProblem[] = [];
  const sources = [...sidecarsOf(photo, companions), ...((await mayHoldEmbeddedRegions(photo)) ? [photo] : [])];
  if (!sources.length) return { regions, problems };
  const et = await exiftool();
  for (const source of sources) {
    let tags: Record<string, unknown>;
    try {
      tags = (await et.read(source)) as Record<string, unknown>;
    } catch (err) {
      problems.push({ code: 'XMP_UNREADABLE', message: `metadata could not be read: ${(err as Error).message.split('\n')[0]}`, source });
      continue;
    }
    if (typeof tags.Error === 'string') {
      problems.push({ code: 'XMP_UNREADABLE', message: `XMP could not be read: ${tags.Error}`, source });
      continue;
    }
    // ExifTool reads what it can of malformed XMP and says so in a warning: the file is not what its writer meant.
    if (typeof tags.Warning === 'string' && /XMP format error|error parsing XMP|malformed XMP/i.test(tags.Warning)) {
      problems.push({ code: 'XMP_UNREADABLE', message: `malformed XMP: ${tags.Warning}`, source });
    }
    const found = regionsFromTags(tags, source, image);
    problems.push(...found.problems);
    for (const r of found.regions) if (!regions.some((g) => unitIoU(g.box, r.box) > 0.5)) regions.push(r);
  }
  return { regions, problems };
}
