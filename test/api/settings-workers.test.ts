// The workers setting is bounded by this machine (cores, memory): settings.set {workers: 64} was accepted
// and, stored, overrode `serve --workers`. Now it is refused above the bound, a stored value above it is
// lowered where the engine starts, and the host's explicit --workers wins over the setting.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createAppApi, type AppApi } from '../../main/api/app-api.ts';
import { Catalog } from '../../main/engine/library/catalog/catalog.ts';
import { dispatch } from '../../shared/rpc.ts';
import { maxWorkers, WORKER_MEMORY_BYTES } from '../../shared/settings.ts';

const limit = maxWorkers(os.availableParallelism(), os.totalmem());

describe('the workers setting', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fa-workers-'));
  const apis: AppApi[] = [];
  afterAll(async () => {
    for (const a of apis) await a.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const open = (name: string, workers?: number): AppApi => {
    const api = createAppApi({ dbFile: path.join(dir, name), engine: workers === undefined ? {} : { workers }, host: { mode: 'web' } });
    apis.push(api);
    return api;
  };

  test('the bound: one per core, and no more than fit in half the memory', () => {
    expect(maxWorkers(8, 64 * 1024 ** 3)).toBe(8);
    expect(maxWorkers(64, 8 * 1024 ** 3)).toBe(Math.floor((4 * 1024 ** 3) / WORKER_MEMORY_BYTES));
    expect(maxWorkers(4, 512 * 1024 ** 2)).toBe(1);
    expect(maxWorkers(0, 0)).toBe(1);
  });

  test('settings.set refuses more workers than this machine can run, with the reason', async () => {
    const api = open('a.db');
    for (const workers of [limit + 1, 64]) {
      const r = await dispatch(api.handlers, 'settings.set', { workers });
      expect(r.ok, `workers ${workers}`).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'SCHEMA', message: expect.stringContaining(`at most ${limit}`) });
    }
    expect(await dispatch(api.handlers, 'settings.get', {})).toMatchObject({ ok: true, result: { workers: 0 } });
    expect(await dispatch(api.handlers, 'settings.set', { workers: limit })).toMatchObject({ ok: true, result: { workers: limit } });
  });

  test('a stored setting above the bound is lowered, and serve --workers wins over the setting', async () => {
    const file = path.join(dir, 'b.db');
    const catalog = new Catalog(file);
    catalog.settings.set('app.settings', { detector: 'mtcnn', embedder: 'fused', threshold: null, minFaces: null, workers: 64 });
    catalog.close();
    const stored = open('b.db');
    const doctor = await dispatch(stored.handlers, 'app.doctor', {});
    expect(doctor).toMatchObject({ ok: true, result: { workers: Math.min(64, limit) } });
    await stored.close();

    const explicit = open('b.db', 1);
    expect(await dispatch(explicit.handlers, 'app.doctor', {})).toMatchObject({ ok: true, result: { workers: 1 } });
  }, 120_000);
});
