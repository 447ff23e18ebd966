// Bundles the desktop app's main process, its worker threads and the preload into dist/app with esbuild.
// npm packages stay external (native modules and model files are loaded from node_modules, unpacked from
// asar when packaged); only the sandboxed preload gets everything inlined, since it cannot require them.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'app');

const shared = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', legalComments: 'none' } as const;

await build({
  ...shared,
  format: 'esm',
  packages: 'external',
  entryPoints: {
    main: path.join(root, 'main/app/main.ts'),
    worker: path.join(root, 'main/engine/face/worker.ts'),
    'projection-worker': path.join(root, 'main/engine/map/projection-worker.ts'),
    'train-worker': path.join(root, 'main/api/train-worker.ts'),
    'people-worker': path.join(root, 'main/api/people-worker.ts'),
  },
  outdir,
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
