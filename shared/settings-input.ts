// Settings as a person types them (the Settings form, `face-atlas settings set KEY VALUE`): one parser,
// so both accept and refuse the same things. An empty value (or "default") means the default: null for
// the fields whose default comes from the model, the shipped value for the others.
import { SettingsSchema, type Settings } from './api.ts';

export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as SettingKey[];

/** "min-faces", "min_faces" and "minfaces" all name minFaces. */
export function settingKey(name: string): SettingKey {
  const flat = name.replace(/[-_\s]/g, '').toLowerCase();
  const key = SETTING_KEYS.find((k) => k.toLowerCase() === flat);
  if (!key) throw new Error(`unknown setting "${name}" (settings: ${SETTING_KEYS.join(', ')})`);
  return key;
}

const DEFAULT_WORDS = new Set(['', 'default', 'null', 'none']);

/**
 * A typed value for a setting, validated by the API's schema; throws an Error saying what is accepted.
 * `fallback` is what an empty value means for the fields that are never null.
 */
export function parseSettingValue(key: SettingKey, input: string | number | null | undefined, fallback?: Partial<Settings>): Settings[SettingKey] {
  const field = SettingsSchema.shape[key];
  const text = input === null || input === undefined ? '' : String(input).trim();
  let value: unknown;
  if (DEFAULT_WORDS.has(text.toLowerCase())) {
    if (field.safeParse(null).success) return null;
    if (fallback?.[key] !== undefined) return fallback[key]!;
    throw new Error(`${key} needs a value`);
  }
  if (key === 'detector' || key === 'embedder') value = text;
  else {
    value = Number(text);
    if (!Number.isFinite(value)) throw new Error(`${key} must be a number, not "${text}"`);
  }
  const r = field.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const what = key === 'threshold' ? 'a distance from 0.05 to 2' : key === 'minFaces' ? 'a whole number from 1 to 100'
      : key === 'workers' ? 'a whole number from 0 to 64 (0: one per core)' : (issue?.message ?? 'a valid value');
    throw new Error(`${key} must be ${what}, not "${text}"`);
  }
  return r.data as Settings[SettingKey];
}
