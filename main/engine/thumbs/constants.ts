// Tunables of thumbnails (to be merged into shared/settings.ts).

export const THUMB_DEFAULTS = {
  /** Longest side (px) of a photo thumbnail: a grid cell at 2x pixel density. */
  photoSize: 320,
  /** Side (px) of a square face thumbnail: a person card at 2x density. */
  faceSize: 160,
  /** Margin added on each side of the face box, as a fraction of its longer side: shows hair and chin like a portrait. */
  faceMargin: 0.35,
  /** WebP quality 0-100: 80 keeps faces crisp at ~6-12 KB per face thumbnail. */
  quality: 80,
  /** Longest side (px) a photo is decoded to for cutting thumbnails: bounds memory (4096^2 x 3 B = 48 MB) while a face
   * of 1/25 of the width still gives 160 px. */
  maxDecodeSide: 4096,
} as const;
