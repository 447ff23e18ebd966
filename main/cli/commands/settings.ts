// `face-atlas settings`: the app's Settings from the command line, on the same store and with the same
// parser (shared/settings-input.ts): show them with the value in effect and its default, or set one.
// Setting the threshold or the minimum faces re-groups people, as the app does; `cluster` and `index` use
// what is saved (the Library reads it).
import type { Command } from 'commander';
import os from 'node:os';
import type { Settings } from '../../../shared/api.ts';
import { parseSettingValue, settingKey, SETTING_KEYS } from '../../../shared/settings-input.ts';
import { CLUSTER_DEFAULTS, ENGINE_DEFAULTS, PEOPLE_DEFAULTS } from '../../../shared/settings.ts';
import { DEFAULT_SETTINGS } from '../../engine/library/settings.ts';
import { CliError, printJson } from '../output.ts';
import { addDbFlag, openLibrary, type DbFlags } from './library.ts';

/** What each setting means when it is empty (null) or 0, under the saved embedder. */
function effective(settings: Settings, modelId: string): Record<keyof Settings, { value: unknown; default: unknown; effective: unknown }> {
  const threshold = CLUSTER_DEFAULTS[modelId]?.threshold ?? null;
  const workers = ENGINE_DEFAULTS.workers || os.availableParallelism();
  return {
    detector: { value: settings.detector, default: DEFAULT_SETTINGS.detector, effective: settings.detector },
    embedder: { value: settings.embedder, default: DEFAULT_SETTINGS.embedder, effective: settings.embedder },
    threshold: { value: settings.threshold, default: threshold, effective: settings.threshold ?? threshold },
    minFaces: { value: settings.minFaces, default: PEOPLE_DEFAULTS.minFaces, effective: settings.minFaces ?? PEOPLE_DEFAULTS.minFaces },
    workers: { value: settings.workers, default: DEFAULT_SETTINGS.workers, effective: settings.workers || workers },
  };
}

export function registerSettingsCommands(program: Command): void {
  const settings = addDbFlag(program
    .command('settings')
    .description('show the settings (value in effect and default); "settings set KEY VALUE" changes one, as the app\'s Settings do')
    .option('--json', 'print one JSON object'))
    .action(async (o: DbFlags & { json?: boolean }) => {
      const lib = openLibrary(o);
      try {
        const s = lib.settings.get();
        const table = effective(s, lib.modelId(s));
        if (o.json) return printJson({ settings: s, effective: Object.fromEntries(SETTING_KEYS.map((k) => [k, table[k].effective])), defaults: Object.fromEntries(SETTING_KEYS.map((k) => [k, table[k].default])) });
        for (const k of SETTING_KEYS) {
          const t = table[k];
          const isDefault = t.value === null || t.value === t.default;
          console.log(`${k.padEnd(10)} ${String(t.effective).padEnd(14)} ${isDefault ? '(default)' : `(default ${t.default})`}`);
        }
      } finally {
        await lib.close();
      }
    });

  addDbFlag(settings
    .command('set <key> <value>')
    .description('sets one setting: detector, embedder, threshold, minFaces (min-faces), workers; "" or "default" restores the default')
    .option('--json', 'print one JSON object'))
    .action(async (name: string, text: string, o: DbFlags & { json?: boolean }) => {
      let key: keyof Settings, value: Settings[keyof Settings];
      try {
        key = settingKey(name);
        value = parseSettingValue(key, text, DEFAULT_SETTINGS);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      // Commander gives --db and --json to `settings` wherever they stand on the line.
      const parent = settings.opts<DbFlags & { json?: boolean }>();
      const json = o.json ?? parent.json;
      const lib = openLibrary({ ...o, db: o.db ?? parent.db }, { mustExist: false });
      try {
        const { settings: saved, changed } = lib.settings.set({ [key]: value });
        const lines: string[] = [`${key} = ${saved[key] === null ? 'default' : saved[key]}${changed.length ? '' : ' (unchanged)'}`];
        let regrouped: unknown = null;
        if (changed.includes('threshold') || changed.includes('minFaces')) {
          // As in the app: a new threshold or minimum re-groups the faces nobody decided on.
          if (lib.catalog.faces.countLive(lib.modelId(saved)) > 0) {
            const people = await lib.people();
            const r = people.recluster();
            regrouped = { ...r, threshold: people.threshold, minFaces: people.minFaces };
            lines.push(`people re-grouped: ${r.people} people, ${r.unassigned} face(s) unassigned (threshold ${people.threshold}); names and decisions kept`);
          }
        }
        if (changed.includes('embedder')) lines.push(`the next "face-atlas index" reads the library again with ${lib.modelId(saved)}`);
        if (json) return printJson({ settings: saved, changed, regrouped });
        for (const l of lines) console.log(l);
      } finally {
        await lib.close();
      }
    });
}
