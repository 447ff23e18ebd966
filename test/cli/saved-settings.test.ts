// The CLI and the app share one library: a threshold saved through the app's Settings is the one that
// `face-atlas index` groups new faces with and `face-atlas cluster` re-groups with; a flag still wins.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppApi } from '../../main/api/app-api.ts';
import { CLUSTER_DEFAULTS } from '../../shared/settings.ts';
import { runCli } from '../helpers/cli.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';

async function saveThroughApp(dbFile: string, change: { threshold: number | null }): Promise<void> {
  const api = createAppApi({ dbFile, host: { mode: 'web' } });
  try {
    await api.handlers['settings.set'](change);
  } finally {
    await api.close();
  }
}

describe.skipIf(!hasFaces)(`saved settings reach the CLI${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fa-saved-'));
  const lib = path.join(dir, 'photos');
  const db = path.join(dir, 'catalog.db');
  const defaultThreshold = CLUSTER_DEFAULTS['fused-mfn192-dlib128'].threshold;

  beforeAll(() => {
    mkdirSync(lib);
    for (const f of ['Mary_Carey_0001.jpg', 'Mary_Carey_0002.jpg', 'Mary_Carey_0003.jpg']) copyFileSync(face(`Mary_Carey/${f}`), path.join(lib, f));
    for (const f of ['Jon_Voight_0001.jpg', 'Jon_Voight_0002.jpg', 'Jon_Voight_0003.jpg']) copyFileSync(face(`Jon_Voight/${f}`), path.join(lib, f));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('index and cluster group with the threshold the app saved, and with the default once it is cleared', async () => {
    // So strict that no two photos of one person are joined: the saved value visibly changes the outcome.
    await saveThroughApp(db, { threshold: 0.05 });
    const indexed = await runCli(['index', lib, '--db', db, '--no-thumbs', '--json']);
    expect(indexed.code, indexed.stderr).toBe(0);
    expect(indexed.json.people.threshold).toBe(0.05);
    expect(indexed.json.people.people).toBe(0);

    const strict = await runCli(['cluster', '--db', db, '--json']);
    expect(strict.json).toMatchObject({ threshold: 0.05, people: 0 });

    // A flag overrides the saved value for one run.
    const flagged = await runCli(['cluster', '--db', db, '--threshold', String(defaultThreshold), '--json']);
    expect(flagged.json).toMatchObject({ threshold: defaultThreshold, people: 2 });

    await saveThroughApp(db, { threshold: null });
    const cleared = await runCli(['cluster', '--db', db, '--json']);
    expect(cleared.json).toMatchObject({ threshold: defaultThreshold, people: 2 });
  });
});
