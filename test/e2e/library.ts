// A small photo library for app-level tests, copied into a temp folder (never into the repo): a few
// identities with 3+ photos each, two group photos and one broken file.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { face } from '../helpers/data.ts';

export const APP_PHOTOS = [
  'Mary_Carey/Mary_Carey_0001.jpg', 'Mary_Carey/Mary_Carey_0002.jpg', 'Mary_Carey/Mary_Carey_0003.jpg', 'Mary_Carey/Mary_Carey_0004.jpg',
  'Jon_Voight/Jon_Voight_0001.jpg', 'Jon_Voight/Jon_Voight_0002.jpg', 'Jon_Voight/Jon_Voight_0003.jpg',
  'Human_StockEmotions_A/Human_StockEmotions_A_0001.jpg', 'Human_StockEmotions_A/Human_StockEmotions_A_0002.jpg',
  'Human_StockEmotions_A/Human_StockEmotions_A_0003.jpg', 'Human_StockEmotions_A/Human_StockEmotions_A_0004.jpg',
  'Human_StockEmotions_B/Human_StockEmotions_B_0001.jpg', 'Human_StockEmotions_B/Human_StockEmotions_B_0002.jpg',
  'Human_StockEmotions_B/Human_StockEmotions_B_0003.jpg', 'Human_StockEmotions_B/Human_StockEmotions_B_0004.jpg',
  'Jack_Dorsey/Jack_Dorsey_0001.jpg', 'Jack_Dorsey/Jack_Dorsey_0002.jpg', 'Jack_Dorsey/Jack_Dorsey_0003.jpg', 'Jack_Dorsey/Jack_Dorsey_0004.jpg',
  'Tom_Jones/Tom_Jones_0001.jpg', 'Tom_Jones/Tom_Jones_0002.jpg',
  'Kit_Harington/Kit_Harington_0001.jpg', 'Rose_Leslie/Rose_Leslie_0001.jpg', 'Rose_Leslie/Rose_Leslie_0002.jpg',
  'groups/kit_with_rose.jpg', 'groups/bbt3.jpg',
];

/** A text file with a photo's name: the library must list it as failed, with its reason. */
export const BROKEN_PHOTO = 'not-a-photo.jpg';

/** Copies the photos into `dir/<identity>/<file>` and adds the broken file; returns the folder. */
export function buildLibrary(dir: string, photos: string[] = APP_PHOTOS): string {
  for (const rel of photos) {
    const to = path.join(dir, rel);
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(face(rel), to);
  }
  writeFileSync(path.join(dir, BROKEN_PHOTO), 'this is not a JPEG\n');
  return dir;
}
