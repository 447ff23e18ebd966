// Bundles the desktop app's main process, its worker threads and the preload into dist/app with esbuild.
// npm packages stay external (native modules and model files are loaded from node_modules, unpacked from
// asar when packaged); only the sandboxed preload gets everything inlined, since it cannot require them.
import { build, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'app');

/**
 * Worker threads are found beside the module that starts them (`new URL('./worker.js', import.meta.url)`).
 * Bundled, every module's import.meta.url is main.js, so the engine pool's worker and the projector's
 * worker would both be dist/app/worker.js: the projector is pointed at its own file name instead.
 */
const projectionWorkerName: Plugin = {
  name: 'projection-worker-name',
  setup(b) {
    b.onLoad({ filter: /[\\/]engine[\\/]project[\\/]projector\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const renamed = source.replace("'./worker.js'", "'./projection-worker.js'");
      if (renamed === source) throw new Error(`${args.path} no longer names './worker.js': update scripts/build-app.ts`);
      return { contents: renamed, loader: 'ts' };
    });
  },
};

const shared = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', legalComments: 'none' } as const;

await build({
  ...shared,
  format: 'esm',
  packages: 'external',
  entryPoints: {
    main: path.join(root, 'main/app/main.ts'),
    worker: path.join(root, 'main/engine/worker.ts'),
    'projection-worker': path.join(root, 'main/engine/project/worker.ts'),
    'train-worker': path.join(root, 'main/api/train-worker.ts'),
    'people-worker': path.join(root, 'main/api/people-worker.ts'),
  },
  outdir,
  plugins: [projectionWorkerName],
});

await build({
  ...shared,
  format: 'cjs',
  external: ['electron'],
  entryPoints: { preload: path.join(root, 'main/app/preload.ts') },
  outdir,
  outExtension: { '.js': '.cjs' },
});

console.log(`built the desktop app into ${path.relative(process.cwd(), outdir) || outdir}`);
