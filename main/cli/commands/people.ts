// People commands: cluster, people, eval cluster.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { CLUSTER_DEFAULTS } from '../../../shared/settings.ts';
import { CliError, pct, printJson, progressLine } from '../output.ts';
import { terminalSafe } from '../terminal.ts';
import { addEngineFlags, engineOptions, type EngineFlags } from './engine.ts';
import { addDbFlag, libraryModelWithFaces, openLibrary, type DbFlags } from './library.ts';

interface ClusterFlags {
  threshold?: string;
  pairThreshold?: string;
  minFaces?: string;
}

function peopleOptions(o: ClusterFlags & { modelId?: string }) {
  return {
    ...(o.threshold ? { threshold: Number(o.threshold) } : {}),
    ...(o.pairThreshold ? { pairThreshold: Number(o.pairThreshold) } : {}),
    ...(o.minFaces ? { minFaces: Number(o.minFaces) } : {}),
  };
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerPeopleCommands(program: Command, evalCmd: Command): void {
  addDbFlag(program
    .command('cluster')
    .description('re-group faces into people; user decisions (names, merges, moves, rejections) are kept')
    .option('--threshold <d>', 'average-linkage L2 distance (default: per embedding model, see settings)')
    .option('--pair-threshold <d>', 'L2 distance within which two single faces are joined (default: per model)')
    .option('--min-faces <n>', 'smallest group shown as a person')
    .option('--json', 'print one JSON object'))
    .action(async (o: DbFlags & ClusterFlags & { json?: boolean }) => {
      const lib = openLibrary(o);
      try {
        libraryModelWithFaces(lib);
        // A --threshold / --min-faces flag wins for this run; otherwise what the library's settings saved.
        const people = await lib.people(peopleOptions(o));
        const r = people.recluster();
        if (o.json) return printJson({ ...r, threshold: people.threshold, pairThreshold: people.pairThreshold, minFaces: people.minFaces, modelId: people.modelId });
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
      const lib = openLibrary(o, { readonly: true });
      try {
        libraryModelWithFaces(lib);
        const people = await lib.people();
        const list = people.listPeople({ includeHidden: o.hidden, search: o.search });
        const unassigned = people.unassigned({ limit: 0 }).total;
        if (o.json) return printJson({ people: list, unassigned });
        for (const p of list) console.log(`${String(p.id).padStart(5)}  ${terminalSafe(p.name ?? 'Unnamed').padEnd(28)} ${String(p.faceCount).padStart(5)} face(s)${p.hidden ? ' (hidden)' : ''}`);
        console.log(`${list.length} people, ${unassigned} unassigned face(s)`);
      } finally {
        await lib.close();
      }
    });

  addEngineFlags(evalCmd
    .command('cluster')
    .description('index the roots into a catalog, cluster, and score the main faces against their identities')
    .option('--root <dir>', 'identity folders ROOT/<identity>/<image> (other folders are indexed as distractors); repeatable', collect, [])
    .option('--distractors <dir>', 'identity folders whose people count as strangers (seen once or a few times); repeatable', collect, [])
    .option('--keep-db <file>', 'index into this catalog and keep it: a re-run with the same roots only re-groups')
    .option('--threshold <d>', 'override the clustering threshold')
    .option('--pair-threshold <d>', 'override the distance within which two single faces are joined')
    .option('--min-faces <n>', 'override the smallest group shown as a person')
    .option('--json', 'print one JSON object as the last line'))
    .action(async (o: EngineFlags & ClusterFlags & { root: string[]; distractors: string[]; keepDb?: string; json?: boolean }) => {
      if (!o.root.length && !o.distractors.length) throw new CliError('give at least one --root (or --distractors)');
      for (const dir of [...o.root, ...o.distractors]) if (!existsSync(dir)) throw new CliError(`root not found: ${dir}`);
      const { createFaceEngine } = await import('../../engine/face/engine.ts');
      const { runClusterEval, ClusterEvalError } = await import('../../engine/eval/run-cluster.ts');
      const engine = await createFaceEngine(engineOptions(o));
      if (!o.threshold && !CLUSTER_DEFAULTS[engine.modelId]) throw new CliError(`no default threshold for ${engine.modelId}: pass --threshold`);
      try {
        const r = await runClusterEval(engine, o.root, { ...peopleOptions(o), distractors: o.distractors, keepDb: o.keepDb, onProgress: progressLine('indexing') })
          .catch((e) => { throw e instanceof ClusterEvalError ? new CliError(e.message) : e; });
        console.log(`${r.modelId}, threshold ${r.threshold} (single faces ${r.pairThreshold.toFixed(3)}): pairwise P ${pct(r.pairwise.precision)} R ${pct(r.pairwise.recall)} F1 ${pct(r.pairwise.f1)}; BCubed P ${pct(r.bcubed.precision)} R ${pct(r.bcubed.recall)} F1 ${pct(r.bcubed.f1)}; NMI ${r.nmi.toFixed(4)}`);
        console.log(`${r.clusters} clusters for ${r.identities} identities, ${r.faces} labelled faces (${r.missed} not detected), ${r.indexedFaces} faces indexed; ${r.peopleShown} people shown (groups of ${r.minFaces}+ faces)`);
        if (r.strangers.faces) console.log(`strangers: ${r.strangers.absorbed} of ${r.strangers.faces} faces (${r.strangers.identities} people) absorbed into a known person (${pct(r.strangers.absorbedFraction)})`);
        console.log(`indexing ${r.indexSeconds.toFixed(1)} s, grouping ${r.clusterSeconds.toFixed(1)} s, ${r.seconds.toFixed(1)} s in all`);
        if (o.json) printJson(r);
      } finally {
        await engine.close();
      }
    });
}
