// The typed error of every photo that cannot be read: a stable code the indexer records, and a message for people.
export type ImageErrorCode =
  | 'NOT_FOUND' | 'UNREADABLE' | 'EMPTY_FILE' | 'NOT_AN_IMAGE' | 'CORRUPT_IMAGE' | 'IMAGE_TOO_LARGE' | 'UNSUPPORTED_FORMAT'
  /** A camera RAW file without an embedded JPEG preview (we read RAW files through it). */
  | 'NO_PREVIEW';

export class ImageError extends Error {
  constructor(readonly code: ImageErrorCode, message: string, readonly file?: string) {
    super(message);
    this.name = 'ImageError';
  }
}
