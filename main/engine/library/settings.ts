// The user's settings, kept in the catalog so they travel with the library; defaults from shared/settings.ts.
import { SettingsSchema, type Settings } from '../../../shared/api.ts';
import { ENGINE_DEFAULTS } from '../../../shared/settings.ts';
import type { Catalog } from './catalog/catalog.ts';
import { MODEL_INFO } from '../face/models.ts';

const KEY = 'app.settings';

export const DEFAULT_SETTINGS: Settings = {
  detector: ENGINE_DEFAULTS.detector,
  embedder: ENGINE_DEFAULTS.embedder,
  threshold: null,
  minFaces: null,
  workers: ENGINE_DEFAULTS.workers,
  // Opt-in: writing beside people's photos is their call.
  xmpSidecars: false,
};

export class SettingsStore {
  constructor(private readonly catalog: Catalog) {}

  get(): Settings {
    // A stored value that no longer fits the schema (an older version's) falls back field by field.
    const stored = (this.catalog.settings.get<Record<string, unknown>>(KEY) ?? {}) as Record<string, unknown>;
    const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const [k, v] of Object.entries(stored)) {
      const field = SettingsSchema.shape[k as keyof Settings];
      if (field?.safeParse(v).success) out[k] = v;
    }
    return out as Settings;
  }

  set(change: Partial<Settings>): { settings: Settings; changed: (keyof Settings)[] } {
    const before = this.get();
    const settings = SettingsSchema.parse({ ...before, ...change });
    this.catalog.settings.set(KEY, settings);
    const changed = (Object.keys(settings) as (keyof Settings)[]).filter((k) => settings[k] !== before[k]);
    return { settings, changed };
  }

  /** The embedding model id the library is indexed with under these settings. */
  modelId(settings: Settings = this.get()): string {
    return MODEL_INFO[settings.embedder].modelId;
  }
}
