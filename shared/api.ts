// The one API of FaceAtlas: every request, response and event with its runtime schema. The Electron IPC
// bridge, the web-mode WebSocket bridge and the renderer's client are all derived from `methods` and
// `events` below; nothing else declares a channel. Imported by main/ and the renderer: plain data only.
import { z } from 'zod';
import { MAP_PAGE_BYTES, MAP_PAGE_FACES, maxPackedLength } from './map-pages.ts';
import { DETECTOR_IDS, EMBEDDER_IDS } from './models.ts';

// ------------------------------------------------------------------ limits of what crosses a bridge

export const API_LIMITS = {
  /** Largest photo (bytes) the Verify view may send: a 48 MP JPEG is ~20-25 MB. */
  uploadBytes: 32 * 1024 * 1024,
  /** Most faces one page of a person or of the unassigned list returns (a virtualised grid asks per screen). */
  pageSize: 500,
  /** Most ids one merge / move / reject names: a lasso on a 50k-point map can select many. */
  idsPerCall: 100_000,
  /** Longest person name, in characters. */
  nameLength: 200,
  /** Longest folder path, in characters (Windows long paths allow 32k). */
  pathLength: 32_767,
} as const;

/** Base64 characters needed for n bytes. */
const base64Length = (bytes: number): number => Math.ceil(bytes / 3) * 4;

// ------------------------------------------------------------------ domain objects

const id = z.number().int().positive();
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const BoxSchema = z.object({ x: finite, y: finite, width: finite, height: finite });

export const PersonSummarySchema = z.object({
  id,
  name: z.string().nullable(),
  hidden: z.boolean(),
  coverFaceId: id.nullable(),
  faceCount: z.number().int().nonnegative(),
});

export const FaceRefSchema = z.object({
  faceId: id,
  photoId: id,
  path: z.string(),
  box: BoxSchema,
  score: finite,
  personId: id.nullable(),
  source: z.enum(['auto', 'user']).nullable(),
});

/** How likely a face is the same person, in words (see SIMILARITY_WORDS in shared/settings.ts). */
export const LikelihoodSchema = z.enum(['very likely', 'possible', 'unlikely']);

export const SuggestionSchema = z.object({
  personId: id,
  name: z.string().nullable(),
  /** L2 distance to the person's centroid: the "advanced" detail. */
  distance: finite,
  /** Calibrated probability that it is the same person, and its word. */
  probability: z.number().min(0).max(1),
  likelihood: LikelihoodSchema,
});

/** One people edit in the undo history, in plain words. */
/** `undoable`: false for records kept only to be read (what a re-index removed) and for undone edits. */
export const EditSchema = z.object({ id, kind: z.string(), summary: z.string(), at: z.number(), undone: z.boolean(), undoable: z.boolean() });

/** A directory of the host's file system, for the web-mode folder browser. */
export const DirectoryListingSchema = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  dirs: z.array(z.object({ name: z.string(), path: z.string() })),
});

export const UnassignedFaceSchema = FaceRefSchema.extend({ suggestions: z.array(SuggestionSchema) });

export const IndexProgressSchema = z.object({
  phase: z.enum(['idle', 'scanning', 'indexing', 'retiring', 'done', 'cancelled']),
  found: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  moved: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  retired: z.number().int().nonnegative(),
  faces: z.number().int().nonnegative(),
  photosPerSecond: finite,
  etaSeconds: finite.nullable(),
  paused: z.boolean(),
  elapsedSeconds: finite,
  /** An index run is in progress (or queued right behind the current one). */
  running: z.boolean(),
});

export const FolderSchema = z.object({
  id,
  path: z.string(),
  addedAt: z.number(),
  lastScanAt: z.number().nullable(),
  /** The folder exists and is a folder now (an unplugged drive is not). */
  available: z.boolean(),
  photos: z.number().int().nonnegative(),
  faces: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});

export const CatalogStatsSchema = z.object({
  photos: z.number().int().nonnegative(),
  faces: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  people: z.number().int().nonnegative(),
  retired: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
});

export const LibraryStatusSchema = z.object({
  folders: z.array(FolderSchema),
  progress: IndexProgressSchema,
  stats: CatalogStatsSchema,
  /** Said once, in the reply to adding a folder that holds system folders (/proc, /sys, /dev): they are skipped. */
  warning: z.string().optional(),
});

export const FailureSchema = z.object({ photoId: id, path: z.string(), code: z.string(), message: z.string() });

export const SettingsSchema = z.object({
  detector: z.enum(DETECTOR_IDS),
  embedder: z.enum(EMBEDDER_IDS),
  /** Clustering distance threshold (L2 between unit embeddings); null = the embedding model's calibrated one. */
  threshold: z.number().min(0.05).max(2).nullable(),
  /** A group needs this many faces to become a person; null = the people service's default. */
  minFaces: z.number().int().min(1).max(100).nullable(),
  /** Inference worker threads; 0 = one per core. */
  workers: z.number().int().min(0).max(64),
  /** Keep XMP sidecars (MWG face regions, for digiKam and Lightroom) updated after each naming decision. */
  xmpSidecars: z.boolean(),
});

export const DoctorReportSchema = z.object({
  node: z.string(),
  platform: z.string(),
  cpus: z.number().int(),
  backend: z.string(),
  /** Where each face network runs and why (ONNX Runtime, or a tfjs backend). */
  networks: z.array(z.object({ net: z.string(), backend: z.string(), reason: z.string() })).optional(),
  tfjsBackend: z.string().optional(),
  simd: z.boolean(),
  threadsPerWorker: z.number().int(),
  workers: z.number().int(),
  backendsTried: z.array(z.object({ name: z.string(), error: z.string().nullable() })),
  models: z.array(z.object({ id: z.string(), kind: z.string(), files: z.array(z.string()), present: z.boolean(), dim: z.number().int().nullable() })),
  modelId: z.string(),
  catalog: z.object({ file: z.string(), stats: CatalogStatsSchema }),
});

export const PhotoFaceSchema = z.object({
  faceId: id,
  box: BoxSchema,
  personId: id.nullable(),
  name: z.string().nullable(),
  /** Drawn by hand (the viewer's "Add a face", or an XMP region no detection matched): only these can be removed. */
  manual: z.boolean(),
});

/** A person's photo list to download, as `face-atlas export person` writes it. */
export const PhotoListFileSchema = z.object({
  fileName: z.string().min(1),
  mimeType: z.enum(['text/csv', 'application/json']),
  text: z.string(),
  photos: z.number().int().nonnegative(),
});

export const PhotoDetailSchema = z.object({
  id,
  path: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** EXIF date taken; null when the file has none (then `modifiedAt` dates it). */
  takenAt: z.number().nullable(),
  modifiedAt: z.number(),
  faces: z.array(PhotoFaceSchema),
});

/** Which photos a list holds: a person's, several people's together, or a folder's. */
export const PhotoSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), personId: id }).strict(),
  z.object({ kind: z.literal('together'), personIds: z.array(id).min(1).max(50), only: z.boolean().default(false) }).strict(),
  z.object({ kind: z.literal('folder'), folder: z.string().min(1).max(API_LIMITS.pathLength) }).strict(),
]);

export const PhotoCardSchema = z.object({
  id,
  path: z.string(),
  /** EXIF date taken, else the file's modification time. */
  takenAt: z.number(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  faces: z.number().int().nonnegative(),
});

export const PhotoTimelineSchema = z.object({
  total: z.number().int().nonnegative(),
  first: z.number().nullable(),
  last: z.number().nullable(),
  /** Date groups (YYYY-MM-DD), newest first, in list order. */
  days: z.array(z.object({ day: z.string(), count: z.number().int().positive() })),
});

export const PhotoFolderSchema = z.object({ folder: z.string(), photos: z.number().int().nonnegative(), faces: z.number().int().nonnegative() });

export const ProjectionMethodSchema = z.enum(['umap', 'tsne']);

/** The map of every face, as a header; its faces come in `map.page` pages of packed typed arrays (map-pages.ts). */
export const FaceMapSchema = z.object({
  method: ProjectionMethodSchema,
  /** Names this map's pages: the positions and persons as they were when the header was made. */
  snapshot: z.string().min(1).max(64),
  /** Faces in the map, and faces per page (the last page may be shorter). */
  total: z.number().int().nonnegative(),
  pageFaces: z.number().int().positive().max(MAP_PAGE_FACES),
  people: z.array(z.object({ id, name: z.string().nullable() })),
  fromCache: z.boolean(),
  /** Faces placed next to an earlier map's by their neighbours instead of recomputing (new faces since). */
  placed: z.number().int().nonnegative(),
});

const packed = (bytesPerFace: number) => z.string().max(maxPackedLength(bytesPerFace)).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const FaceMapPageSchema = z.object({
  snapshot: z.string().min(1).max(64),
  offset: z.number().int().nonnegative(),
  count: z.number().int().nonnegative().max(MAP_PAGE_FACES),
  /** Little-endian Uint32 face ids, photo ids, person ids (0 = unassigned), and Float32 x, y pairs in [-1, 1]. */
  faceIds: packed(MAP_PAGE_BYTES.faceIds),
  photoIds: packed(MAP_PAGE_BYTES.photoIds),
  personIds: packed(MAP_PAGE_BYTES.personIds),
  xy: packed(MAP_PAGE_BYTES.xy),
});

export const VerifyFaceSchema = z.object({
  index: z.number().int().nonnegative(),
  box: BoxSchema,
  score: finite,
  /** The aligned crop the embedder saw, as a data: URL (PNG). */
  crop: z.string().startsWith('data:image/'),
});

export const VerifyPhotoSchema = z.object({
  /** Names this analysed photo in later compare / whoIs calls (kept in a small server-side cache). */
  photoKey: z.string().min(1).max(64),
  name: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  faces: z.array(VerifyFaceSchema),
  /** The face `compare` uses unless told otherwise (the largest, most central one); -1 when none. */
  mainFace: z.number().int().min(-1),
});

const FacePickSchema = z.object({ photoKey: z.string().min(1).max(64), face: z.number().int().nonnegative() });

export const VerdictSchema = z.object({ distance: finite, threshold: finite, same: z.boolean(), probability: z.number().min(0).max(1), modelId: z.string() });

/** Held-out accuracies in 0..1; null when there were too few held-out faces to measure. */
export const TrainMetricsSchema = z.object({ identification: finite.nullable(), verification: finite.nullable() });

export const TrainProgressSchema = z.object({ jobId: z.string(), step: z.number().int().nonnegative(), steps: z.number().int().positive(), loss: finite });

export const TrainResultSchema = z.object({
  jobId: z.string(),
  loss: z.enum(['triplet', 'center']),
  /** The trained head, stored but not adopted until the user says so. */
  adapterId: id,
  before: TrainMetricsSchema,
  after: TrainMetricsSchema,
  /** The guardrail adopted it: it helps held-out faces and hurts no untrained person (people were re-grouped). */
  recommended: z.boolean(),
  reasons: z.array(z.string()),
  seconds: finite,
  steps: z.number().int().nonnegative(),
});

export const TrainStateSchema = z.object({
  running: z.boolean(),
  jobId: z.string().nullable(),
  loss: z.enum(['triplet', 'center']).nullable(),
  history: z.array(TrainProgressSchema),
  result: TrainResultSchema.nullable(),
  error: z.string().nullable(),
  adoptedAdapterId: id.nullable(),
});

export const AppInfoSchema = z.object({
  mode: z.enum(['electron', 'web']),
  version: z.string(),
  /** The host can show a native folder picker (Electron) ... */
  canChooseFolder: z.boolean(),
  /** ... and reveal a file in the OS file manager. */
  canShowInFolder: z.boolean(),
  modelId: z.string(),
});

// ------------------------------------------------------------------ the method table

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });
/** What a people edit did, in plain words (the toast and the undo history show it). */
const edited = z.object({ ok: z.literal(true), summary: z.string() });
const page = { offset: z.number().int().nonnegative().default(0), limit: z.number().int().positive().max(API_LIMITS.pageSize).default(100) };
const ids = z.array(id).min(1).max(API_LIMITS.idsPerCall);

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, doc: string) {
  return { request, response, doc };
}

export const methods = {
  'app.info': method(empty, AppInfoSchema, 'what host the renderer runs in and what it can do'),
  'app.doctor': method(empty, DoctorReportSchema, 'backend, workers and every model file: the `doctor` report'),
  'settings.get': method(empty, SettingsSchema, 'the current settings'),
  'settings.set': method(SettingsSchema.partial().strict(), SettingsSchema, 'changes settings; a new embedder re-indexes the library, a new threshold or minimum re-groups people'),
  'settings.defaults': method(empty, z.object({ threshold: finite.nullable(), minFaces: z.number().int(), workers: z.number().int() }), "what an empty field means: the embedding model's threshold, the minimum faces, the worker threads used for 0"),

  'library.status': method(empty, LibraryStatusSchema, 'folders with their counts, the current index progress and catalog totals'),
  'library.addFolder': method(z.object({ path: z.string().min(1).max(API_LIMITS.pathLength) }).strict(), LibraryStatusSchema, 'adds a folder and indexes the library'),
  'library.chooseFolder': method(empty, z.object({ path: z.string().nullable() }), "the host's folder dialog (Electron only); null when cancelled"),
  'library.browse': method(z.object({ path: z.string().max(API_LIMITS.pathLength).optional() }).strict(), DirectoryListingSchema, "the sub-folders of a folder of the host (default: the user's home), for picking a folder in web mode"),
  'library.removeFolder': method(z.object({ folderId: id }).strict(), z.object({ photos: z.number().int().nonnegative(), status: LibraryStatusSchema }), 'takes a folder out of the library: its photos leave (names come back if it is added again); nothing on disk changes'),
  'library.rescan': method(empty, LibraryStatusSchema, 'indexes every folder again (only changed files are read)'),
  'library.pause': method(empty, LibraryStatusSchema, 'stops starting new photos; those in flight finish'),
  'library.resume': method(empty, LibraryStatusSchema, 'continues a paused run'),
  'library.cancel': method(empty, LibraryStatusSchema, 'ends the run; finished photos are kept'),
  'library.failures': method(z.object(page).strict(), z.object({ total: z.number().int().nonnegative(), failures: z.array(FailureSchema) }), 'files that could not be indexed, with the reason'),

  'people.list': method(z.object({ includeHidden: z.boolean().default(false), search: z.string().max(API_LIMITS.nameLength).optional() }).strict(), z.object({ people: z.array(PersonSummarySchema) }), 'people: named first, then by face count and by their best face'),
  'people.faces': method(z.object({ personId: id, ...page }).strict(), z.object({ person: PersonSummarySchema, total: z.number().int().nonnegative(), faces: z.array(FaceRefSchema) }), "one page of a person's faces"),
  'people.unassigned': method(z.object(page).strict(), z.object({ total: z.number().int().nonnegative(), faces: z.array(UnassignedFaceSchema) }), 'faces waiting for a person, with their closest people'),
  'people.rename': method(z.object({ personId: id, name: z.string().trim().min(1).max(API_LIMITS.nameLength) }).strict(), edited, 'names a person'),
  'people.merge': method(z.object({ personIds: ids.min(2), into: id.optional() }).strict(), z.object({ personId: id, summary: z.string() }), 'merges people into one (the best cover stays); returns the survivor'),
  'people.moveFaces': method(
    z.object({ faceIds: ids, toPersonId: id.nullable(), name: z.string().trim().min(1).max(API_LIMITS.nameLength).optional() }).strict()
      .refine((r) => r.name === undefined || r.toPersonId === null, { message: 'name: only a new person (toPersonId null) is named here; rename an existing person with people.rename', path: ['name'] }),
    z.object({ personId: id, summary: z.string() }),
    'moves faces to a person (null: to a new person, named `name` in the same undoable edit)',
  ),
  'people.reject': method(z.object({ faceIds: ids, personId: id }).strict(), edited, '"Not this person": the faces leave and never return to that person'),
  'people.confirm': method(z.object({ faceIds: ids, personId: id }).strict(), edited, 'accepts a suggestion: the faces belong to that person'),
  'people.setHidden': method(z.object({ personId: id, hidden: z.boolean() }).strict(), edited, 'hides or shows a person'),
  'people.setCover': method(z.object({ personId: id, faceId: id }).strict(), edited, "sets the person's cover face"),
  'people.ignore': method(z.object({ faceIds: ids }).strict(), edited, '"Ignore face": kept, but out of unassigned, suggestions and grouping'),
  'people.unignore': method(z.object({ faceIds: ids }).strict(), edited, 'brings ignored faces back to unassigned'),
  'people.ignored': method(z.object(page).strict(), z.object({ total: z.number().int().nonnegative(), faces: z.array(FaceRefSchema) }), 'one page of the ignored faces'),
  'people.undo': method(empty, z.object({ undone: z.string().nullable(), summary: z.string().nullable() }), 'undoes the last people edit'),
  'people.history': method(z.object({ limit: z.number().int().positive().max(50).default(50) }).strict(), z.object({ edits: z.array(EditSchema) }), 'the latest people edits, newest first, undone ones marked'),
  'people.suggestMerges': method(z.object({ personId: id }).strict(), z.object({ suggestions: z.array(SuggestionSchema) }), 'people who may be the same person'),
  'people.recluster': method(empty, z.object({ people: z.number().int(), assigned: z.number().int(), unassigned: z.number().int() }), 're-groups the faces nobody decided on'),

  'photo.get': method(z.object({ photoId: id }).strict(), PhotoDetailSchema, 'a photo with its face boxes and names'),
  'faces.addManual': method(
    z.object({ photoId: id, box: BoxSchema, personId: id.optional() }).strict(),
    z.object({ faceId: id, summary: z.string(), looksLikeFace: z.boolean() }),
    'a face drawn where detection missed one (pixels of the upright photo): embedded from a landmark pass inside the box (kept as drawn where that finds no face: looksLikeFace false); with personId it joins that person; an undoable decision',
  ),
  'faces.removeManual': method(z.object({ faceId: id }).strict(), edited, 'removes a face drawn by hand (never a detected one); an undoable decision'),
  'people.exportPhotos': method(z.object({ personId: id, format: z.enum(['csv', 'json']) }).strict(), PhotoListFileSchema, "a person's photo list (path, date, face box, confirmed), as `face-atlas export person` writes it"),
  'photos.timeline': method(z.object({ source: PhotoSourceSchema }).strict(), PhotoTimelineSchema, 'how many photos a list holds, its date range and date groups'),
  'photos.list': method(z.object({ source: PhotoSourceSchema, ...page }).strict(), z.object({ photos: z.array(PhotoCardSchema) }), 'one page of a list of photos, newest first'),
  'photos.folders': method(empty, z.object({ folders: z.array(PhotoFolderSchema) }), 'every folder holding indexed photos, with photo and face counts'),
  'photo.showInFolder': method(z.object({ photoId: id }).strict(), z.object({ shown: z.boolean(), path: z.string() }), 'reveals the file in the file manager where the host can'),

  'map.get': method(z.object({ method: ProjectionMethodSchema.default('umap'), seed: z.number().int().nonnegative().default(1) }).strict(), FaceMapSchema, 'the 2-D map of every face (computed in a worker, then cached; new faces placed by their neighbours): its header'),
  'map.page': method(z.object({ snapshot: z.string().min(1).max(64), offset: z.number().int().nonnegative() }).strict(), FaceMapPageSchema, "one page of a map's faces as packed typed arrays"),

  'verify.analyse': method(
    z.object({
      source: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('upload'), name: z.string().max(1024), data: z.string().min(1).max(base64Length(API_LIMITS.uploadBytes)) }).strict(),
        z.object({ kind: z.literal('face'), faceId: id }).strict(),
      ]),
    }).strict(),
    VerifyPhotoSchema,
    'finds and aligns the faces of a dropped photo (base64 bytes) or of a library face',
  ),
  'verify.compare': method(z.object({ a: FacePickSchema, b: FacePickSchema }).strict(), VerdictSchema, 'same person? distance, threshold, verdict and probability'),
  'verify.whoIs': method(FacePickSchema.strict(), z.object({ suggestions: z.array(SuggestionSchema) }), 'the closest people in the library'),

  'train.start': method(z.object({ loss: z.enum(['triplet', 'center']), steps: z.number().int().min(1).max(100_000).optional() }).strict(), z.object({ jobId: z.string() }), 'trains an adapter head on the confirmed faces in a worker; adopted when the guardrail says it helps'),
  'train.cancel': method(empty, ok, 'stops the running training'),
  'train.status': method(empty, TrainStateSchema, 'the running or last training, its loss curve and result'),
  'train.adopt': method(z.object({ adapterId: id }).strict(), ok, 'uses this head from now on (people are re-grouped)'),
  'train.discard': method(z.object({ adapterId: id }).strict(), ok, 'stops using this head, back to the raw embeddings (people are re-grouped)'),
} as const;

// ------------------------------------------------------------------ events (main -> renderer)

export const events = {
  'index.progress': IndexProgressSchema,
  'library.changed': z.object({ reason: z.string() }),
  'people.changed': z.object({ reason: z.string() }),
  'map.progress': z.object({ method: ProjectionMethodSchema, fraction: z.number().min(0).max(1) }),
  'train.progress': TrainProgressSchema,
  'train.done': z.object({ jobId: z.string(), result: TrainResultSchema.nullable(), error: z.string().nullable() }),
  /** The host asks the renderer to show a view (the desktop app's menu). */
  'app.navigate': z.object({ href: z.string().regex(/^#\/[a-z]+(\/\d+)?$/) }),
} as const;

// ------------------------------------------------------------------ derived types

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller sends (defaults not yet applied). */
export type Params<M extends MethodName> = z.input<Methods[M]['request']>;
/** What a handler receives (validated, defaults applied). */
export type Request<M extends MethodName> = z.output<Methods[M]['request']>;
export type Result<M extends MethodName> = z.output<Methods[M]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventData<E extends EventName> = z.output<Events[E]>;

/** An implementation of the whole table; the bridges only ever call through this. */
export type ApiHandlers = { [M in MethodName]: (request: Request<M>) => Promise<Result<M>> | Result<M> };

export type PersonSummary = z.output<typeof PersonSummarySchema>;
export type FaceRef = z.output<typeof FaceRefSchema>;
export type Suggestion = z.output<typeof SuggestionSchema>;
export type Likelihood = z.output<typeof LikelihoodSchema>;
export type Edit = z.output<typeof EditSchema>;
export type DirectoryListing = z.output<typeof DirectoryListingSchema>;
export type UnassignedFace = z.output<typeof UnassignedFaceSchema>;
export type IndexProgress = z.output<typeof IndexProgressSchema>;
export type Folder = z.output<typeof FolderSchema>;
export type LibraryStatus = z.output<typeof LibraryStatusSchema>;
export type Failure = z.output<typeof FailureSchema>;
export type Settings = z.output<typeof SettingsSchema>;
export type DoctorReport = z.output<typeof DoctorReportSchema>;
export type PhotoDetail = z.output<typeof PhotoDetailSchema>;
export type PhotoListFile = z.output<typeof PhotoListFileSchema>;
export type PhotoSource = z.output<typeof PhotoSourceSchema>;
export type PhotoCard = z.output<typeof PhotoCardSchema>;
export type PhotoTimeline = z.output<typeof PhotoTimelineSchema>;
export type PhotoFolder = z.output<typeof PhotoFolderSchema>;
export type FaceMap = z.output<typeof FaceMapSchema>;
export type FaceMapPage = z.output<typeof FaceMapPageSchema>;
export type VerifyPhoto = z.output<typeof VerifyPhotoSchema>;
export type Verdict = z.output<typeof VerdictSchema>;
export type TrainProgress = z.output<typeof TrainProgressSchema>;
export type TrainResult = z.output<typeof TrainResultSchema>;
export type TrainState = z.output<typeof TrainStateSchema>;
export type AppInfo = z.output<typeof AppInfoSchema>;
export type ProjectionMethod = z.output<typeof ProjectionMethodSchema>;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
