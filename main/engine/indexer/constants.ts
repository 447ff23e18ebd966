// Tunables of the indexer, with units and how each was chosen (to be merged into shared/settings.ts).

export const INDEXER_DEFAULTS = {
  /** Lower-case file extensions treated as photos: what sharp/libvips decodes in our build (HEIC when libheif is present). */
  imageExtensions: ['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif', '.heic'] as readonly string[],
  /** Folder names never entered: VCS, NAS thumbnail folders (Synology @eaDir, QNAP .@__thumb), recycle bins, OS metadata.
   * Names starting with '.' are skipped as well (hidden files, macOS AppleDouble '._x.jpg'). */
  skippedFolderNames: ['@eaDir', '#recycle', '#snapshot', '$RECYCLE.BIN', 'System Volume Information', 'lost+found', 'node_modules'] as readonly string[],
  /** Photos analysed at once, per engine worker: 2 keeps each worker busy while the next file is hashed and decoded. */
  inFlightPerWorker: 2,
  /** A re-detected face keeps the id (and so the name) of the old face whose box it overlaps by at least this IoU.
   * 0.5 is the PASCAL VOC "same object" criterion; re-running the same detector on the same pixels gives > 0.9. */
  sameFaceIoU: 0.5,
  /** ...and, with embeddings of the same model, lie within this L2 distance (unit vectors). Measured here with
   * MobileFaceNet: the same face saved again at JPEG q60/q80 moved at most 0.48 (12 faces, 4 photos); different
   * people in one photo were at least 1.15 apart, and a replaced picture's face at IoU 0.56 was 1.38 away. */
  sameFaceMaxDistance: 0.8,
  /** A file that changes while it is read is retried this many times, then recorded as CHANGED_WHILE_READING. */
  changedWhileReadingRetries: 2,
  /** Progress events at most this often (ms): enough for a smooth bar without flooding IPC. */
  progressIntervalMs: 250,
  /** Photos-per-second is measured over this many latest completions, so the ETA follows speed changes. */
  rateWindow: 50,
  /** Watch mode: a file is indexed once it has had no event for this long (ms); pairs the unlink+add of a rename. */
  watchDebounceMs: 1500,
  /** Watch mode: chokidar waits until a file's size is stable this long (ms) before reporting it (copies in progress). */
  watchWriteStableMs: 1000,
} as const;

/** Error codes the indexer records itself; decoding failures keep the engine's ImageError codes. */
export type IndexErrorCode =
  | 'EMPTY_FILE'
  | 'UNREADABLE'
  | 'BROKEN_SYMLINK'
  | 'SYMLINK_LOOP'
  | 'NOT_A_FILE'
  | 'CHANGED_WHILE_READING'
  | 'ANALYSIS_FAILED';
