// Face-region geometry and parsing without ExifTool: the eight orientations against hand-turned points,
// which frame a writer used, MWG and Microsoft regions from tags as ExifTool returns them, and the scan's
// RAW+JPEG pairing and orphan sidecars from folder listings.
import { describe, expect, it } from 'vitest';
import { developedPartner, orphanSidecarNames, pairRawFiles } from '../../main/engine/library/indexer/scan.ts';
import { regionsFromTags, storedToUpright, toStored, toUpright, uprightToStored, writtenInStoredFrame } from '../../main/engine/metadata/xmp-regions.ts';

describe('orientation frames', () => {
  // A 4 x 2 stored image; the point (3, 0) (top right, pixel centres ignored) as fractions is (0.75, 0).
  // Turned by hand: 6 = 90 degrees clockwise puts the top-right corner at the bottom right of a 2 x 4 image.
  it.each([
    [1, [0.75, 0]], [2, [0.25, 0]], [3, [0.25, 1]], [4, [0.75, 1]],
    [5, [0, 0.75]], [6, [1, 0.75]], [7, [1, 0.25]], [8, [0, 0.25]],
  ] as [number, [number, number]][])('orientation %i moves the stored top-right point to %j, and back', (o, expected) => {
    expect(storedToUpright([0.75, 0], o)).toEqual(expected);
    expect(uprightToStored(expected, o)).toEqual([0.75, 0]);
  });

  it('a box survives the trip to the stored frame and back for every orientation', () => {
    const box = { x: 0.1, y: 0.2, width: 0.3, height: 0.15 };
    for (let o = 1; o <= 8; o++) {
      const back = toUpright(toStored(box, o), { width: 10, height: 10, orientation: o }, true);
      for (const k of ['x', 'y', 'width', 'height'] as const) expect(back[k]).toBeCloseTo(box[k], 12);
    }
  });

  it('reads the frame from AppliedToDimensions: stored (the MWG rule) unless it has the upright aspect', () => {
    const upright = { width: 501, height: 700, orientation: 6 };
    expect(writtenInStoredFrame(upright, { W: 700, H: 501 })).toBe(true);
    expect(writtenInStoredFrame(upright, { W: 501, H: 700 })).toBe(false);
    expect(writtenInStoredFrame(upright, undefined)).toBe(true);
    expect(writtenInStoredFrame({ ...upright, orientation: 1 }, { W: 501, H: 700 })).toBe(true);
  });
});

describe('regions from tags', () => {
  const image = { width: 1000, height: 500, orientation: 1 };
  it('takes MWG faces (centre to corner), skips pets, drops the Microsoft copy of a face and keeps a Microsoft-only one', () => {
    const { regions, problems } = regionsFromTags({
      RegionInfo: { AppliedToDimensions: { W: 1000, H: 500, Unit: 'pixel' }, RegionList: [
        { Area: { X: 0.5, Y: 0.5, W: 0.2, H: 0.4, Unit: 'normalized' }, Name: 'Ann', Type: 'Face' },
        { Area: { X: 0.1, Y: 0.1, W: 0.1, H: 0.1, Unit: 'normalized' }, Name: 'Rex', Type: 'Pet' },
      ] },
      RegionInfoMP: { Regions: [{ PersonDisplayName: 'Ann', Rectangle: '0.4, 0.3, 0.2, 0.4' }, { PersonDisplayName: 'Bo', Rectangle: '0.7, 0.1, 0.1, 0.2' }] },
    }, 'x.xmp', image);
    expect(problems).toEqual([]);
    expect(regions.map((r) => [r.name, r.format])).toEqual([['Ann', 'mwg'], ['Bo', 'mp']]);
    expect(regions[0].box.x).toBeCloseTo(0.4, 12);
    expect(regions[0].box.y).toBeCloseTo(0.3, 12);
  });

  it('records regions that are no box, lie off the image or use another unit; clips one that overhangs a little', () => {
    const { regions, problems } = regionsFromTags({ RegionInfo: { RegionList: [
      { Area: { X: 'abc', Y: 0.5, W: 0.1, H: 0.1 }, Name: 'A' },
      { Area: { X: 1.6, Y: 0.5, W: 0.2, H: 0.2 }, Name: 'B' },
      { Area: { X: 0.5, Y: 0.5, W: 10, H: 10, Unit: 'pixel' }, Name: 'C' },
      { Area: { X: 0.995, Y: 0.5, W: 0.02, H: 0.1 }, Name: 'D' },
    ] } }, 'x.xmp', image);
    expect(problems.map((p) => p.code)).toEqual(['REGION_INVALID', 'REGION_OUTSIDE_IMAGE', 'REGION_INVALID']);
    expect(regions.map((r) => r.name)).toEqual(['D']);
    expect(regions[0].box.x + regions[0].box.width).toBeCloseTo(1, 12);
  });
});

describe('scan: RAW+JPEG pairs and sidecars', () => {
  const file = (p: string) => ({ path: p, rootId: 1, size: 1, mtimeMs: 1 });
  it('folds a RAW into the JPEG or HEIC of its name (any case) and keeps a lone RAW', () => {
    const { photos, paired } = pairRawFiles([file('/a/IMG_1.CR2'), file('/a/IMG_1.jpg'), file('/a/IMG_2.NEF'), file('/a/IMG_3.dng'), file('/a/img_3.HEIC')]);
    expect(photos.map((p) => p.path)).toEqual(['/a/IMG_1.jpg', '/a/IMG_2.NEF', '/a/img_3.HEIC']);
    expect(photos[0].companions).toEqual(['/a/IMG_1.CR2']);
    expect(paired).toEqual([{ raw: '/a/IMG_1.CR2', photo: '/a/IMG_1.jpg' }, { raw: '/a/IMG_3.dng', photo: '/a/img_3.HEIC' }]);
    expect(developedPartner('/a/IMG_1.CR2', ['IMG_1.CR2', 'IMG_1.jpg'])).toBe('IMG_1.jpg');
    expect(developedPartner('/a/IMG_2.NEF', ['IMG_2.NEF'])).toBeUndefined();
  });

  it('finds sidecars without their photo in either naming', () => {
    expect(orphanSidecarNames(['a.jpg', 'a.jpg.xmp', 'b.xmp', 'b.CR2', 'c.jpg.xmp', 'd.xmp', 'notes.txt'])).toEqual(['c.jpg.xmp', 'd.xmp']);
  });
});
