// The app's API object: the method table of shared/api.ts implemented by composing the engine's services
// (catalog, indexer, people, projector, trainer, face engine). Both bridges (Electron IPC, web mode) and
// tests call only this; it holds no business logic of its own beyond wiring and events.
import path from 'node:path';
import type { ApiHandlers, Settings, Suggestion } from '../../shared/api.ts';
import { ApiError, type RpcErrorCode } from '../../shared/rpc.ts';
import { WORKER_MEMORY_BYTES } from '../../shared/settings.ts';
import type { Catalog } from '../engine/library/catalog/catalog.ts';
import type { FaceEngineOptions } from '../engine/face/engine.ts';
import { Library, type PeopleJob } from '../engine/library/library.ts';
import { exportXmpSidecars, photosOfDecisions } from '../engine/library/xmp-sidecars.ts';
import { analyseManualFace, ManualFaceError } from '../engine/library/manual-faces.ts';
import { personPhotoList, photoListFileName, photoListText } from '../engine/people/photo-list.ts';
import { PeopleError, type PeopleService } from '../engine/people/service.ts';
import { PeopleEdits } from '../engine/people/edits.ts';
import { plausible, withSimilarity } from '../engine/people/similarity.ts';
import { CLUSTER_DEFAULTS, ENGINE_DEFAULTS, PEOPLE_DEFAULTS } from '../../shared/settings.ts';
import os from 'node:os';
import { listDirectories } from './folders.ts';
import { backfillTakenAt } from '../engine/library/indexer/taken-at.ts';
import { doctorReport } from './doctor.ts';
import { machineMaxWorkers } from '../engine/face/engine-holder.ts';
import { ApiEvents } from './events.ts';
import { FaceMapService } from './face-map.ts';
import { LibraryService } from './library.ts';
import type { PeopleJobData, PeopleJobResult } from './people-worker.ts';
import { thumbnailFile } from './thumbnails.ts';
import { TrainingService } from './training.ts';
import { VerifyService } from './verify.ts';
import { runWorkerJob } from './worker-job.ts';
import type { ThumbKind } from '../../shared/rpc.ts';

/** What the shell around the API can do for it. */
export interface AppHost {
  mode: 'electron' | 'web';
  version?: string;
  /** A native folder picker (Electron's dialog). */
  chooseFolder?: () => Promise<string | null>;
  /** Reveals a file in the OS file manager (Electron's shell.showItemInFolder). */
  showItemInFolder?: (file: string) => void;
}

export interface AppApiOptions {
  /** The catalog file (SQLite); a real file, since worker threads open it too. */
  dbFile: string;
  /** Thumbnails and maps; default: `cache` beside the catalog. */
  cacheDir?: string;
  /** Engine options the settings do not cover (backend, default worker count...). */
  engine?: FaceEngineOptions;
  host?: AppHost;
}

export interface AppApi {
  readonly handlers: ApiHandlers;
  readonly events: ApiEvents;
  readonly catalog: Catalog;
  /** The headless library this API composes (catalog, settings, engine, thumbnails, people). */
  readonly lib: Library;
  readonly library: LibraryService;
  /** Absolute path of a thumbnail inside the cache, or null. */
  thumbnail(kind: ThumbKind, id: number): Promise<string | null>;
  close(): Promise<void>;
}

export function createAppApi(options: AppApiOptions): AppApi {
  if (options.dbFile === ':memory:') throw new Error('createAppApi needs a catalog file (worker threads open it as well)');
  const dbFile = path.resolve(options.dbFile);
  const host: AppHost = options.host ?? { mode: 'web' };
  const lib = Library.open(dbFile, { cacheDir: options.cacheDir, engine: options.engine });
  const { catalog, cacheDir, engine, thumbs } = lib;
  const settingsStore = lib.settings;
  const events = new ApiEvents();
  const modelId = (): string => lib.modelId();

  /** The people service in the space of the adopted adapter (if any); re-opened when that space or the settings change. */
  let peopleReady: Promise<PeopleService> = lib.people();
  peopleReady.catch(() => undefined);
  const people = (): Promise<PeopleService> => peopleReady;
  const reopenPeople = (): void => {
    peopleReady = lib.people();
    peopleReady.catch(() => undefined);
  };

  const peopleChanged = (reason: string): void => events.emit('people.changed', { reason });
  /** Re-clustering and assigning a run's faces build neighbour graphs: on a worker thread with its own connection. */
  const runningJobs = new Set<Promise<unknown>>();
  const peopleJob = async (job: PeopleJob): Promise<PeopleJobResult> => {
    const running = runWorkerJob<never, PeopleJobResult>('people-worker', { dbFile, job } satisfies PeopleJobData);
    runningJobs.add(running);
    try {
      const result = await running;
      reopenPeople();
      peopleChanged(job.job);
      return result;
    } finally {
      runningJobs.delete(running);
    }
  };

  // A catalog from before dates were read gets them now, from metadata only (no re-analysis).
  const backfill = backfillTakenAt(catalog)
    .then((found) => found > 0 && events.emit('library.changed', { reason: 'dates taken read' }))
    .catch((err: Error) => console.error(`face-atlas: reading dates taken failed: ${err.message}`));

  const library = new LibraryService({
    catalog,
    thumbs,
    engine,
    events,
    afterRun: async (photoIds) => {
      // Names other tools wrote as XMP regions become user decisions first, so new faces group around them.
      const imported = await lib.applyImportedNames();
      if (imported.applied + imported.kept + imported.conflicts > 0) peopleChanged('names imported from XMP');
      const job = lib.afterIndex(photoIds);
      if (job) await peopleJob(job);
    },
  });

  /** Distances with their calibrated probability and word. */
  const described = (suggestions: { personId: number; name: string | null; distance: number }[]): Suggestion[] => withSimilarity(suggestions, modelId());
  const whoIs = async (embedding: Float32Array, faceModel: string): Promise<Suggestion[]> => {
    if (faceModel !== modelId()) throw new ApiError('CONFLICT', `the library is indexed with ${modelId()}, this face with ${faceModel}`);
    return described((await people()).whoIs(embedding));
  };
  const verify = new VerifyService(catalog, engine, whoIs);
  const faceMap = new FaceMapService(catalog, cacheDir, events);
  const training = new TrainingService({
    catalog,
    dbFile,
    events,
    modelId,
    regroup: async (reason) => {
      // The adopted head changed the space faces are grouped in: regroup there (decisions stay).
      await peopleJob({ job: 'recluster' });
      peopleChanged(reason);
    },
  });

  const person = async (personId: number) => {
    const p = (await people()).person(personId);
    if (!p) throw new ApiError('NOT_FOUND', `person ${personId} does not exist`);
    return p;
  };
  const ok = { ok: true as const };
  /** A user decision: applied through the people service (logged in plain words), then every view is told. */
  const decide = async <T>(reason: string, fn: (edits: PeopleEdits) => T): Promise<T> => {
    const before = catalog.decisions.last()?.id; // what an undo reverts
    const out = fn(new PeopleEdits(catalog, await people()));
    peopleChanged(reason);
    if (settingsStore.get().xmpSidecars) keepSidecars(before, catalog.decisions.last()?.id);
    return out;
  };
  /** The opt-in sidecar switch: the photos a decision touched get their sidecars rewritten, in the background. */
  let sidecarQueue: Promise<unknown> = Promise.resolve();
  const keepSidecars = (...decisionIds: (number | undefined)[]): void => {
    const photoIds = photosOfDecisions(catalog, decisionIds);
    if (!photoIds.length) return;
    sidecarQueue = sidecarQueue.then(() => exportXmpSidecars(catalog, { photoIds })).then(
      (r) => r.failed.length && events.emit('library.changed', { reason: `${r.failed.length} XMP sidecar(s) not written: ${r.failed[0].message}` }),
      (err: Error) => events.emit('library.changed', { reason: `XMP sidecars not written: ${err.message}` }),
    );
  };

  const handlers: ApiHandlers = {
    'app.info': () => ({
      mode: host.mode,
      version: host.version ?? '0.0.0',
      canChooseFolder: !!host.chooseFolder,
      canShowInFolder: !!host.showItemInFolder,
      modelId: modelId(),
    }),
    'app.doctor': async () => doctorReport(await engine.get(), catalog),
    'settings.get': () => settingsStore.get(),
    'settings.defaults': () => ({
      threshold: CLUSTER_DEFAULTS[modelId()]?.threshold ?? null,
      minFaces: PEOPLE_DEFAULTS.minFaces,
      workers: Math.max(1, options.engine?.workers || ENGINE_DEFAULTS.workers || os.availableParallelism()),
    }),
    'settings.set': async (change) => {
      const engineKeys: (keyof Settings)[] = ['detector', 'embedder', 'workers'];
      const current = settingsStore.get();
      const limit = machineMaxWorkers();
      if (change.workers !== undefined && change.workers > limit) {
        throw new ApiError('SCHEMA', `workers: at most ${limit} on this machine (one per core, ${Math.round(WORKER_MEMORY_BYTES / 1024 ** 2)} MB of memory each within half the memory); 0 = one per core`);
      }
      if (library.running && engineKeys.some((k) => change[k] !== undefined && change[k] !== current[k])) {
        throw new ApiError('CONFLICT', 'the detector, embedder and workers can be changed when no index run is in progress');
      }
      const { settings, changed } = settingsStore.set(change);
      await engine.configure(settings);
      if (changed.some((k) => k === 'embedder')) {
        // Embeddings of different models are never compared: the library is read again with the new one.
        reopenPeople();
        library.rescan();
      }
      // A new threshold or minimum regroups the faces nobody decided on, in the background.
      if (changed.some((k) => k === 'threshold' || k === 'minFaces')) {
        peopleJob({ job: 'recluster' }).catch((err: Error) => events.emit('library.changed', { reason: `re-grouping failed: ${err.message}` }));
      }
      return settings;
    },

    'library.status': () => library.status(),
    'library.addFolder': ({ path: folder }) => library.addFolder(folder),
    'library.chooseFolder': async () => {
      if (!host.chooseFolder) throw new ApiError('UNAVAILABLE', 'no folder dialog in web mode: type the folder path');
      return { path: await host.chooseFolder() };
    },
    'library.browse': ({ path: folder }) => listDirectories(folder),
    'library.removeFolder': ({ folderId }) => {
      if (library.running) throw new ApiError('CONFLICT', 'a folder can be removed when no index run is in progress');
      if (!catalog.roots.all().some((r) => r.id === folderId)) throw new ApiError('NOT_FOUND', `folder ${folderId} is not in the library`);
      const photos = catalog.removeRoot(folderId);
      events.emit('library.changed', { reason: 'folder removed' });
      peopleChanged('folder removed');
      return { photos, status: library.status() };
    },
    'library.rescan': () => library.rescan(),
    'library.pause': () => library.pause(),
    'library.resume': () => library.resume(),
    'library.cancel': () => library.cancel(),
    'library.failures': ({ offset, limit }) => library.failures(offset, limit),

    'people.list': async ({ includeHidden, search }) => ({ people: (await people()).listPeople({ includeHidden, search }) }),
    'people.faces': async ({ personId, offset, limit }) => ({ person: await person(personId), ...(await people()).personFaces(personId, { offset, limit }) }),
    'people.unassigned': async ({ offset, limit }) => {
      const r = (await people()).unassigned({ offset, limit });
      // Only people plausibly the same are offered: a stranger is offered nobody.
      return { total: r.total, faces: r.faces.map((f) => ({ ...f, suggestions: plausible(described(f.suggestions)) })) };
    },
    'people.rename': ({ personId, name }) => decide('rename', (p) => ({ ...ok, ...p.rename(personId, name) })),
    'people.merge': ({ personIds, into }) => decide('merge', (p) => {
      const r = p.merge(personIds, into);
      return { personId: r.personId!, summary: r.summary };
    }),
    'people.moveFaces': ({ faceIds, toPersonId, name }) => decide('move', (p) => {
      const r = p.moveFaces(faceIds, toPersonId, name);
      return { personId: r.personId!, summary: r.summary };
    }),
    'people.reject': ({ faceIds, personId }) => decide('reject', (p) => ({ ...ok, ...p.reject(faceIds, personId) })),
    'people.confirm': ({ faceIds, personId }) => decide('confirm', (p) => ({ ...ok, ...p.confirm(faceIds, personId) })),
    'people.setHidden': ({ personId, hidden }) => decide('hidden', (p) => ({ ...ok, ...p.setHidden(personId, hidden) })),
    'people.setCover': ({ personId, faceId }) => decide('cover', (p) => ({ ...ok, ...p.setCover(personId, faceId) })),
    'people.ignore': ({ faceIds }) => decide('ignore', (p) => ({ ...ok, ...p.ignore(faceIds) })),
    'people.unignore': ({ faceIds }) => decide('unignore', (p) => ({ ...ok, ...p.unignore(faceIds) })),
    'people.ignored': async ({ offset, limit }) => {
      const r = new PeopleEdits(catalog, await people()).ignoredFaces({ offset, limit });
      return { total: r.total, faces: r.faces.map((f) => ({ ...f, personId: null, source: null })) };
    },
    'people.undo': () => decide('undo', (p) => {
      const r = p.undo();
      return { undone: r?.undone ?? null, summary: r?.summary ?? null };
    }),
    'people.history': async ({ limit }) => ({ edits: new PeopleEdits(catalog, await people()).history(limit) }),
    'people.suggestMerges': async ({ personId }) => ({ suggestions: described((await people()).suggestMerges(personId)) }),
    'people.recluster': async () => {
      const r = await peopleJob({ job: 'recluster' });
      return { people: r.people ?? catalog.people.all().length, assigned: r.assigned, unassigned: r.unassigned };
    },

    'photo.get': ({ photoId }) => {
      const photo = catalog.photos.get(photoId);
      if (!photo || photo.width === null || photo.height === null) throw new ApiError('NOT_FOUND', `photo ${photoId} does not exist`);
      const source = photo.status === 'duplicate' && photo.duplicateOf !== null ? photo.duplicateOf : photo.id;
      const names = new Map(catalog.people.all().map((p) => [p.id, p.name]));
      // Ignored faces (strangers, not faces) get no box: the user took them out; the Ignored list brings them back.
      const faces = catalog.faces.ofPhoto(source).filter((f) => !catalog.ignored.has(f.id)).map((f) => {
        const personId = catalog.people.assignment(f.id)?.personId ?? null;
        return { faceId: f.id, box: f.box, personId, name: personId === null ? null : names.get(personId) ?? null, manual: f.source === 'manual' };
      });
      return { id: photo.id, path: photo.path, width: photo.width, height: photo.height, takenAt: photo.takenAt, modifiedAt: photo.mtimeMs, faces };
    },
    'faces.addManual': async ({ photoId, box, personId }) => {
      const drawn = await analyseManualFace(catalog, await engine.get(), photoId, box);
      const r = await decide('face added', (e) => e.addFace(drawn.photoId, drawn.face, drawn.detectorId, personId));
      return { faceId: r.faceId, summary: r.summary, looksLikeFace: drawn.looksLikeFace };
    },
    'faces.removeManual': ({ faceId }) => decide('face removed', (e) => ({ ...ok, ...e.removeFace(faceId) })),
    'people.exportPhotos': ({ personId, format }) => {
      const list = personPhotoList(catalog, personId);
      return { fileName: photoListFileName(list, format), mimeType: format === 'csv' ? 'text/csv' as const : 'application/json' as const, text: photoListText(list, format), photos: list.photos.length };
    },
    'photos.timeline': ({ source }) => catalog.photoIndex.timeline(source),
    'photos.list': ({ source, offset, limit }) => ({ photos: catalog.photoIndex.page(source, offset, limit) }),
    'photos.folders': () => ({ folders: catalog.photoIndex.folders() }),
    'photo.showInFolder': ({ photoId }) => {
      const photo = catalog.photos.get(photoId);
      if (!photo) throw new ApiError('NOT_FOUND', `photo ${photoId} does not exist`);
      host.showItemInFolder?.(photo.path);
      return { shown: !!host.showItemInFolder, path: photo.path };
    },

    'map.get': ({ method, seed }) => faceMap.get(method, seed, modelId()),
    'map.page': ({ snapshot, offset }) => faceMap.page(snapshot, offset),

    'verify.analyse': ({ source }) => verify.analyse(source),
    'verify.compare': ({ a, b }) => verify.compare(a, b),
    'verify.whoIs': async (pick) => ({ suggestions: await verify.closestPeople(pick) }),

    'train.start': ({ loss, steps }) => training.start(loss, steps),
    'train.cancel': () => (training.cancel(), ok),
    'train.status': () => training.status(),
    'train.adopt': async ({ adapterId }) => (await training.adopt(adapterId), ok),
    'train.discard': async ({ adapterId }) => (await training.discard(adapterId), ok),
  };

  return {
    handlers: withErrorCodes(handlers),
    events,
    catalog,
    lib,
    library,
    thumbnail: (kind, id) => thumbnailFile(thumbs, kind, id),
    async close() {
      await backfill;
      await library.close();
      await training.close();
      await Promise.allSettled([...runningJobs]);
      await sidecarQueue;
      await lib.close();
    },
  };
}

const PEOPLE_ERROR_CODES: Record<PeopleError['code'], RpcErrorCode> = { NOT_FOUND: 'NOT_FOUND', CONFLICT: 'CONFLICT', INVALID: 'SCHEMA' };

/** Engine errors that carry a meaning for the user keep it across the bridge (NOT_FOUND, CONFLICT...). */
function withErrorCodes(handlers: ApiHandlers): ApiHandlers {
  const out: Record<string, (r: never) => unknown> = {};
  for (const [name, fn] of Object.entries(handlers) as [string, (r: never) => unknown][]) {
    out[name] = async (request) => {
      try {
        return await fn(request);
      } catch (err) {
        if (err instanceof PeopleError) throw new ApiError(PEOPLE_ERROR_CODES[err.code], err.message);
        if (err instanceof ManualFaceError) throw new ApiError(err.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'SCHEMA', err.message);
        throw err;
      }
    };
  }
  return out as unknown as ApiHandlers;
}
