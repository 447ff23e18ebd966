// A library: one catalog file and everything that works on it (settings, the face engine, thumbnails,
// people). The one composition root of the headless engine: the app's API and every CLI command open a
// Library and ask it, so both honour the same saved settings and the same rule for the library's model.
import path from 'node:path';
import type { Settings } from '../../../shared/api.ts';
import { EngineHolder } from '../face/engine-holder.ts';
import type { FaceEngineOptions } from '../face/engine.ts';
import { endExifTool } from '../metadata/exiftool.ts';
import { applyImportedNames, type ImportedNamesResult } from '../people/imported-names.ts';
import { openPeople } from '../people/open.ts';
import type { PeopleService } from '../people/service.ts';
import { Catalog } from './catalog/catalog.ts';
import { defaultCacheDir, defaultCatalogPath } from './catalog/location.ts';
import { SettingsStore } from './settings.ts';
import { ThumbnailCache } from './thumbs/thumbnail-cache.ts';

export interface LibraryOptions {
  /** Thumbnails and maps; default: `cache` beside the catalog. */
  cacheDir?: string;
  /** Engine options the settings do not cover (backend, analysis options, a worker count for this process). */
  engine?: FaceEngineOptions;
  /** Open the catalog read-only (read commands): never created, migrated or written; works in a read-only folder. */
  readonly?: boolean;
}

/** Grouping parameters that override the saved settings for one call (a CLI flag, an evaluation). */
export interface PeopleOverrides {
  threshold?: number;
  minFaces?: number;
}

/** What to do with people after an index run changed some photos. */
export type PeopleJob = { job: 'recluster' } | { job: 'assignNew'; faceIds: number[] };

export class Library {
  readonly file: string;
  readonly cacheDir: string;
  readonly catalog: Catalog;
  readonly settings: SettingsStore;
  readonly engine: EngineHolder;
  readonly thumbs: ThumbnailCache;

  private constructor(file: string, opts: LibraryOptions) {
    this.file = file;
    this.cacheDir = path.resolve(opts.cacheDir ?? defaultCacheDir(file));
    this.catalog = new Catalog(file, { readonly: opts.readonly });
    this.settings = new SettingsStore(this.catalog);
    // Exported ONNX graphs are cached beside the thumbnails and maps.
    this.engine = new EngineHolder(this.settings.get(), { modelCacheDir: path.join(this.cacheDir, 'models'), ...opts.engine });
    this.thumbs = new ThumbnailCache(this.catalog, this.cacheDir);
  }

  /** Opens (creating when new) the catalog file; default: the per-user app-data catalog. */
  static open(file: string = defaultCatalogPath(), opts: LibraryOptions = {}): Library {
    return new Library(file === ':memory:' ? file : path.resolve(file), opts);
  }

  /** The embedding model the library is indexed with: the one its saved settings name. */
  modelId(settings: Settings = this.settings.get()): string {
    return this.settings.modelId(settings);
  }

  /** Grouping parameters: a saved threshold or minimum when the user set one, else the model's defaults. */
  peopleOptions(overrides: PeopleOverrides = {}, s: Settings = this.settings.get()): PeopleOverrides {
    const threshold = overrides.threshold ?? s.threshold ?? undefined;
    const minFaces = overrides.minFaces ?? s.minFaces ?? undefined;
    return { ...(threshold !== undefined ? { threshold } : {}), ...(minFaces !== undefined ? { minFaces } : {}) };
  }

  /**
   * The people service for the library's model, in its adopted adapter's space, with the saved settings; its
   * person index is kept in `<cache>/people`.
   */
  people(overrides: PeopleOverrides = {}): Promise<PeopleService> {
    return openPeople(this.catalog, this.modelId(), { ...this.peopleOptions(overrides), personIndexDir: path.join(this.cacheDir, 'people') });
  }

  /**
   * The after-index policy: a library without people yet is grouped from scratch; otherwise only the faces of
   * the photos a run added or changed are assigned (existing people and decisions stay as they are).
   */
  afterIndex(changedPhotoIds: number[]): PeopleJob | null {
    if (!this.catalog.people.any()) return { job: 'recluster' };
    if (!changedPhotoIds.length) return null;
    return { job: 'assignNew', faceIds: changedPhotoIds.flatMap((id) => this.catalog.faces.idsOfPhoto(id)) };
  }

  /** Runs a people job in this thread (the CLI; the app runs the same on a worker thread). */
  async runPeopleJob(job: PeopleJob, overrides: PeopleOverrides = {}): Promise<{ people?: number; assigned: number; unassigned: number; threshold: number }> {
    const people = await this.people(overrides);
    const result = job.job === 'recluster' ? people.recluster() : people.assignNew(job.faceIds);
    return { ...result, threshold: people.threshold };
  }

  /** Names read from XMP face regions become user decisions (before new faces are grouped around them). */
  async applyImportedNames(): Promise<ImportedNamesResult> {
    if (!this.catalog.xmp.pendingRegions().length) return { applied: 0, kept: 0, conflicts: 0, newPeople: 0 };
    return applyImportedNames(await this.people());
  }

  async close(): Promise<void> {
    await this.engine.close();
    await endExifTool(); // RAW previews, XMP regions and sidecars: its child process would keep Node alive
    this.catalog.close();
  }
}
