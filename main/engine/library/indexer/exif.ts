// When a photo was taken, from its EXIF; a photo without a readable date simply has none.
import exifr from 'exifr';

const DATE_TAGS = ['DateTimeOriginal', 'CreateDate', 'DateTimeDigitized', 'ModifyDate'];

/** Milliseconds since the epoch (EXIF has no time zone: the wall-clock time is read as local time), or null. */
export async function readTakenAt(file: string): Promise<number | null> {
  try {
    const tags = (await exifr.parse(file, { pick: DATE_TAGS })) as Record<string, unknown> | undefined;
    if (!tags) return null;
    for (const tag of DATE_TAGS) {
      const v = tags[tag];
      if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getTime();
    }
    return null;
  } catch {
    return null;
  }
}
