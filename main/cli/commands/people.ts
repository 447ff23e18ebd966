// People commands: cluster, people, eval cluster.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { CLUSTER_DEFAULTS } from '../../../shared/settings.ts';
import { CliError, pct, printJson, progressLine } from '../output.ts';
import { addEngineFlags, engineOptions, type EngineFlags } from './engine.ts';
import { addDbFlag, libraryModelWithFaces, openLibrary, type DbFlags } from './library.ts';

interface ClusterFlags {
  threshold?: string;
  minFaces?: string;
}

function peopleOptions(o: ClusterFlags & { modelId?: string }) {
  return {
    ...(o.threshold ? { threshold: Number(o.threshold) } : {}),
    ...(o.minFaces ? { minFaces: Number(o.minFaces) } : {}),
  };
}

export function registerPeopleCommands(program: Command, evalCmd: Command): void {
  addDbFlag(program
    .command('cluster')
    .description('re-group faces into people; user decisions (names, merges, moves, rejections) are kept')
    .option('--threshold <d>', 'average-linkage L2 distance (default: per embedding model, see settings)')
    .option('--min-faces <n>', 'smallest group shown as a person')
    .option('--json', 'print one JSON object'))
    .action(async (o: DbFlags & ClusterFlags & { json?: boolean }) => {
      const lib = openLibrary(o);
      try {
        libraryModelWithFaces(lib);
        // A --threshold / --min-faces flag wins for this run; otherwise what the library's settings saved.
        const people = await lib.people(peopleOptions(o));
        const r = people.recluster();
        if (o.json) return printJson({ ...r, threshold: people.threshold, modelId: people.modelId });
        console.log(`${r.people} people; ${r.assigned} face(s) grouped automatically, ${r.unassigned} unassigned (threshold ${people.threshold}, ${people.modelId})`);
      } finally {
        await lib.close();
      }
    });

  addDbFlag(program
    .command('people')
    .description('list people with their face counts')
    .option('--hidden', 'include hidden people')
    .option('--search <text>', 'only names containing text')
    .option('--json', 'print one JSON object'))
    .action(async (o: DbFlags & { hidden?: boolean; search?: string; json?: boolean }) => {
      const lib = openLibrary(o);
      try {
        libraryModelWithFaces(lib);
        const people = await lib.people();
        const list = people.listPeople({ includeHidden: o.hidden, search: o.search });
        const unassigned = people.unassigned({ limit: 0 }).total;
        if (o.json) return printJson({ people: list, unassigned });
        for (const p of list) console.log(`${String(p.id).padStart(5)}  ${(p.name ?? 'Unnamed').padEnd(28)} ${String(p.faceCount).padStart(5)} face(s)${p.hidden ? ' (hidden)' : ''}`);
        console.log(`${list.length} people, ${unassigned} unassigned face(s)`);
      } finally {
        await lib.close();
      }
    });

  addEngineFlags(evalCmd
    .command('cluster')
    .description('index ROOT into a temporary catalog, cluster, and score the main faces against their identities')
    .requiredOption('--root <dir>', 'identity folders ROOT/<identity>/<image> (other folders are indexed as distractors)')
    .option('--threshold <d>', 'override the clustering threshold')
    .option('--min-faces <n>', 'override the smallest group shown as a person')
    .option('--json', 'print one JSON object as the last line'))
    .action(async (o: EngineFlags & ClusterFlags & { root: string; json?: boolean }) => {
      if (!existsSync(o.root)) throw new CliError(`root not found: ${o.root}`);
      const { createFaceEngine } = await import('../../engine/face/engine.ts');
      const { runClusterEval } = await import('../../engine/eval/run-cluster.ts');
      const engine = await createFaceEngine(engineOptions(o));
      if (!o.threshold && !CLUSTER_DEFAULTS[engine.modelId]) throw new CliError(`no default threshold for ${engine.modelId}: pass --threshold`);
      try {
        const r = await runClusterEval(engine, o.root, { ...peopleOptions(o), onProgress: progressLine('indexing') });
        console.log(`${r.modelId}, threshold ${r.threshold}: pairwise P ${pct(r.pairwise.precision)} R ${pct(r.pairwise.recall)} F1 ${pct(r.pairwise.f1)}; BCubed P ${pct(r.bcubed.precision)} R ${pct(r.bcubed.recall)} F1 ${pct(r.bcubed.f1)}; NMI ${r.nmi.toFixed(4)}`);
        console.log(`${r.clusters} clusters for ${r.identities} identities, ${r.faces} labelled faces (${r.missed} not detected), ${r.indexedFaces} faces indexed, ${r.seconds.toFixed(1)} s`);
        if (o.json) printJson(r);
      } finally {
        await engine.close();
      }
    });
}
