// `face-atlas serve`: the app in a browser (web mode), on 127.0.0.1 only, with a per-run token in the URL.
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir, defaultCatalogPath } from '../../engine/library/catalog/location.ts';
import { CliError } from '../output.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the app to a browser on this machine (127.0.0.1 only; the printed URL carries the access token)')
    .option('--db <file>', 'catalog file (default: the per-user app-data folder)')
    .option('--cache <dir>', 'thumbnail and map cache folder (default: beside the catalog)')
    .option('--port <n>', 'port to listen on (default: any free port)')
    .option('--workers <n>', 'inference worker threads (default: the setting, else one per core)')
    .option('--open', 'open the address in the default browser, where this machine has one')
    .action(async (o: { db?: string; cache?: string; port?: string; workers?: string; open?: boolean }) => {
      const rendererDir = path.join(repoRoot, 'dist', 'renderer');
      if (!existsSync(path.join(rendererDir, 'index.html'))) buildRenderer(rendererDir);
      const port = o.port === undefined ? 0 : Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`invalid port "${o.port}"`);
      const workers = o.workers === undefined ? undefined : Number(o.workers);
      if (workers !== undefined && !(Number.isInteger(workers) && workers > 0)) throw new CliError(`invalid worker count "${o.workers}"`);
      // Loaded here, not at start-up: other commands need neither the server nor the app's services.
      const [{ createAppApi }, { startWebServer }] = await Promise.all([import('../../api/app-api.ts'), import('../../server/web-server.ts')]);
      const dbFile = path.resolve(o.db ?? defaultCatalogPath());
      const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
      const api = createAppApi({ dbFile, cacheDir: o.cache ?? defaultCacheDir(dbFile), engine: { workers }, host: { mode: 'web', version } });
      const server = await startWebServer({ api, rendererDir, port }).catch(async (err: NodeJS.ErrnoException) => {
        await api.close();
        throw new CliError(err.code === 'EADDRINUSE' ? `port ${port} is in use` : err.message);
      });
      console.log(`catalog: ${dbFile}`);
      console.log('Open this address in a browser on this machine (it carries the access token; Ctrl+C stops):');
      console.log(server.url);
      if (o.open) openBrowser(server.url);
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      await api.close();
      process.exit(0);
    });
}

/** Builds the UI once when it is missing (a fresh checkout), with the project's own Vite; says how otherwise. */
function buildRenderer(rendererDir: string): void {
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) throw new CliError(`the renderer is not built (${rendererDir}) and Vite is not installed: run \`npm ci && npm run build:renderer\``);
  process.stderr.write('building the UI once (dist/renderer)...\n');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', path.join(repoRoot, 'renderer', 'vite.config.ts'), '--logLevel', 'warn'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !existsSync(path.join(rendererDir, 'index.html'))) throw new CliError('building the renderer failed: run `npm run build:renderer` to see why');
}

/** Opens a URL in the desktop's default browser (open, start, xdg-open); says so where there is none. */
function openBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => console.log('(no browser to open here: open the address above in a browser on this machine)'));
  child.unref();
}
