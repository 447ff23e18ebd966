// Writes face names as MWG regions into an XMP sidecar, the form digiKam, Lightroom Classic and Immich read,
// through ExifTool. The photo itself is never opened for writing. An existing sidecar is updated in place:
// everything else in it (Lightroom's develop settings, keywords, ratings) stays, and so do its regions that
// are not one of our faces (pets, focus areas, faces we do not know). Areas are written in the stored frame
// with AppliedToDimensions, as the MWG guidelines ask; Microsoft Photo regions are rewritten too where the
// sidecar had them (digiKam writes both, and would otherwise show stale names).
import path from 'node:path';
import { exiftool } from './exiftool.ts';
import { sidecarsOf, toStored, toUpright, unitIoU, writtenInStoredFrame, type UnitBox, type UprightImage } from './xmp-regions.ts';

export interface NamedRegion {
  name: string;
  /** Fractions of the upright image. */
  box: UnitBox;
}

export type SidecarNaming = 'photo.ext.xmp' | 'photo.xmp';

export interface SidecarWrite {
  photo: string;
  sidecar: string;
  created: boolean;
  /** Our named faces written. */
  named: number;
  /** Regions of the sidecar kept as they were (not one of our faces). */
  kept: number;
  /** False when the sidecar already said exactly this. */
  changed: boolean;
}

/** Where a photo's sidecar is: the one that exists (either naming), else a new one named by `naming`. */
export function sidecarFor(photo: string, naming: SidecarNaming = 'photo.ext.xmp'): { file: string; exists: boolean } {
  const existing = sidecarsOf(photo)[0];
  if (existing) return { file: existing, exists: true };
  return { file: naming === 'photo.xmp' ? path.join(path.dirname(photo), `${path.basename(photo, path.extname(photo))}.xmp`) : `${photo}.xmp`, exists: false };
}

const round = (v: number): number => Math.round(v * 1e6) / 1e6;

interface MwgEntry { Area?: { X?: unknown; Y?: unknown; W?: unknown; H?: unknown; Unit?: unknown }; Name?: unknown; Type?: unknown; [k: string]: unknown }

function mwgArea(stored: UnitBox) {
  return { X: round(stored.x + stored.width / 2), Y: round(stored.y + stored.height / 2), W: round(stored.width), H: round(stored.height), Unit: 'normalized' };
}

/** Writes (or with `dryRun` only plans) the sidecar of one photo. */
export async function writeFaceSidecar(
  photo: string, image: UprightImage, regions: NamedRegion[],
  opts: { dryRun?: boolean; naming?: SidecarNaming; /** Our other faces: a region on one of them is stale (the face lost its name). */ otherFaces?: UnitBox[] } = {},
): Promise<SidecarWrite> {
  const et = await exiftool();
  const { file, exists } = sidecarFor(photo, opts.naming);
  const swaps = image.orientation >= 5 && image.orientation <= 8;
  const applied = { W: swaps ? image.height : image.width, H: swaps ? image.width : image.height, Unit: 'pixel' };

  let oldList: MwgEntry[] = [];
  let hadMp = false;
  let oldStored = true;
  if (exists) {
    const tags = (await et.read(file)) as Record<string, unknown>;
    if (typeof tags.Error === 'string') throw new Error(`sidecar ${file} cannot be read (${tags.Error}); it was left as it is`);
    const info = tags.RegionInfo as { AppliedToDimensions?: { W?: unknown; H?: unknown }; RegionList?: MwgEntry[] | MwgEntry } | undefined;
    oldList = info?.RegionList ? (Array.isArray(info.RegionList) ? info.RegionList : [info.RegionList]) : [];
    oldStored = writtenInStoredFrame(image, info?.AppliedToDimensions);
    hadMp = tags.RegionInfoMP !== undefined;
  }

  // The sidecar's other regions, in the upright frame for comparison, written back in the stored frame.
  const kept: { entry: MwgEntry; upright: UnitBox }[] = [];
  for (const entry of oldList) {
    const a = entry.Area ?? {};
    const w = Number(a.W), h = Number(a.H);
    const upright = toUpright({ x: Number(a.X) - w / 2, y: Number(a.Y) - h / 2, width: w, height: h }, image, oldStored);
    const isFace = String(entry.Type ?? 'Face').toLowerCase() === 'face';
    if (isFace && [...regions.map((r) => r.box), ...(opts.otherFaces ?? [])].some((b) => unitIoU(b, upright) > 0.5)) continue; // ours: rewritten below
    kept.push({ entry, upright });
  }
  const list: MwgEntry[] = [
    ...kept.map(({ entry, upright }) => ({ ...entry, Area: [upright.x, upright.y, upright.width, upright.height].every(Number.isFinite) ? mwgArea(toStored(upright, image.orientation)) : entry.Area })),
    ...regions.map((r) => ({ Area: mwgArea(toStored(r.box, image.orientation)), Name: r.name, Type: 'Face' })),
  ];
  const tags: Record<string, unknown> = { RegionInfo: { AppliedToDimensions: applied, RegionList: list } };
  if (hadMp) {
    tags.RegionInfoMP = {
      Regions: list.filter((e) => typeof e.Name === 'string' && String(e.Type ?? 'Face').toLowerCase() === 'face').map((e) => {
        const a = e.Area as { X: number; Y: number; W: number; H: number };
        return { PersonDisplayName: e.Name, Rectangle: [a.X - a.W / 2, a.Y - a.H / 2, a.W, a.H].map((v) => round(v)).join(', ') };
      }),
    };
  }

  const same = exists && oldList.length === list.length && JSON.stringify(oldList.map(norm)) === JSON.stringify(list.map(norm));
  const result: SidecarWrite = { photo, sidecar: file, created: !exists, named: regions.length, kept: kept.length, changed: !same };
  if (opts.dryRun || same) return result;
  const written = await et.write(file, tags as never, { writeArgs: ['-overwrite_original'] });
  if (!written.created && !written.updated && !written.unchanged) throw new Error(`ExifTool did not write ${file}`);
  return result;
}

/** Compares region lists as written (numbers rounded the way they are written). */
function norm(e: MwgEntry) {
  const a = e.Area ?? {};
  return { n: e.Name ?? null, t: String(e.Type ?? 'Face'), a: [a.X, a.Y, a.W, a.H].map((v) => round(Number(v))) };
}
