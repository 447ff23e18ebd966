// Map commands: map (project the library's faces to 2-D), eval map (how faithful each projection is).
import type { Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { CliError, printJson, progressLine } from '../output.ts';
import { addEngineFlags, engineOptions, type EngineFlags } from './engine.ts';
import { addDbFlag, libraryModelWithFaces, openLibrary, type DbFlags } from './library.ts';

type Method = 'umap' | 'tsne';

function checkMethod(m: string): asserts m is Method {
  if (m !== 'umap' && m !== 'tsne') throw new CliError(`unknown method "${m}" (umap or tsne)`);
}

export function registerMapCommands(program: Command, evalCmd: Command): void {
  addDbFlag(program
    .command('map')
    .description('project every face to 2-D (cached per model, adapter, face set and seed)')
    .option('--method <m>', 'umap or tsne', 'umap')
    .option('--seed <n>', 'random seed', '1')
    .option('--out <file.json>', 'write {faceId, personId, name, x, y} for every face')
    .option('--json', 'print a summary as one JSON object'))
    .action(async (o: DbFlags & { method: string; seed: string; out?: string; json?: boolean }) => {
      checkMethod(o.method);
      const lib = openLibrary(o);
      const { catalog, cacheDir } = lib;
      try {
        const { libraryMap } = await import('../../engine/map/library-map.ts');
        const modelId = libraryModelWithFaces(lib);
        const count = catalog.faces.countLive(modelId);
        if (count < 3) throw new CliError(`the catalog has ${count} face(s): too few to map`);
        const bar = progressLine(o.method);
        const started = performance.now();
        const map = await libraryMap(catalog, cacheDir, modelId, o.method, Number(o.seed), (p) => bar(Math.round(p * 100), 100));
        const faces = map.faceIds;
        const names = new Map(catalog.people.all().map((p) => [p.id, p.name]));
        const points = faces.map((faceId, i) => {
          const personId = map.personIds[i];
          return { faceId, personId, name: personId === null ? null : names.get(personId) ?? null, x: map.coordinates[2 * i], y: map.coordinates[2 * i + 1] };
        });
        const adapterId = map.adapterId;
        if (o.out) writeFileSync(o.out, JSON.stringify({ method: o.method, modelId, adapterId, points }));
        const summary = { method: o.method, faces: faces.length, fromCache: map.fromCache, seconds: (performance.now() - started) / 1000, out: o.out ?? null };
        if (o.json) return printJson(summary);
        console.log(`${o.method} map of ${faces.length} faces ${map.fromCache ? '(from cache)' : `in ${summary.seconds.toFixed(1)} s`}${o.out ? ` -> ${o.out}` : ''}`);
      } finally {
        await lib.close();
      }
    });

  addEngineFlags(evalCmd
    .command('map')
    .description('fraction of each face\'s 10 nearest neighbours sharing its identity: in UMAP, t-SNE and the original space')
    .requiredOption('--root <dir>', 'identity folders ROOT/<identity>/<image>')
    .option('--k <n>', 'neighbours', '10')
    .option('--seed <n>', 'random seed', '1')
    .option('--json', 'print one JSON object as the last line'))
    .action(async (o: EngineFlags & { root: string; k: string; seed: string; json?: boolean }) => {
      if (!existsSync(o.root)) throw new CliError(`root not found: ${o.root}`);
      const { createFaceEngine } = await import('../../engine/face/engine.ts');
      const { embedIdentityFolders } = await import('../../engine/eval/identity-embeddings.ts');
      const { project } = await import('../../engine/map/projector.ts');
      const { neighbourIdentity } = await import('../../engine/map/faithfulness.ts');
      const engine = await createFaceEngine(engineOptions(o));
      try {
        const { vectors, dim, labels } = await embedIdentityFolders(engine, o.root, progressLine('embedding'));
        const k = Number(o.k);
        // Small identities cap the score: a face whose identity has m faces can share at most m - 1 of k neighbours.
        const sizes = new Map<string, number>();
        for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
        const ceiling = labels.reduce((s, l) => s + Math.min(k, sizes.get(l)! - 1) / k, 0) / labels.length;
        const result: Record<string, { neighbourIdentity: number; seconds?: number }> = {
          original: { neighbourIdentity: neighbourIdentity(vectors, dim, labels, k) },
        };
        for (const method of ['umap', 'tsne'] as const) {
          const t0 = performance.now();
          const xy = await project(vectors, labels.length, dim, { method, seed: Number(o.seed) });
          result[method] = { neighbourIdentity: neighbourIdentity(xy, 2, labels, k), seconds: (performance.now() - t0) / 1000 };
        }
        console.log(`${labels.length} faces of ${new Set(labels).size} identities, k=${k}: original ${result.original.neighbourIdentity.toFixed(3)}, UMAP ${result.umap.neighbourIdentity.toFixed(3)}, t-SNE ${result.tsne.neighbourIdentity.toFixed(3)} (ceiling ${ceiling.toFixed(3)}: identities with fewer than k+1 faces cannot fill k neighbours)`);
        if (o.json) printJson({ ...result, ceiling, faces: labels.length, k, modelId: engine.modelId });
      } finally {
        await engine.close();
      }
    });
}
