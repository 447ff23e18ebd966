#!/usr/bin/env node
// `npm start`: builds the renderer and the desktop app, then starts it in Electron. Electron is an optional
// dependency (its binary download fails on machines without network access): without it, the same app
// starts in web mode (the UI built if needed), prints its address and opens the default browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    // The electron package exports the path of its binary; it throws when the binary was never downloaded.
    return require('electron');
  } catch (err) {
    return { error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}

function run(command, args, what) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`npm start: ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

const electron = electronBinary();
if (typeof electron !== 'string') {
  // No Electron binary (an optional dependency whose download needs the network): the same app in the
  // default browser instead. `face-atlas serve --open` prints the address and opens it where a browser exists.
  console.error(`Electron is not installed (${electron.error}): starting web mode instead (retry \`npm install electron\` for the desktop app).`);
  if (rendererStale()) run(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], 'building the renderer');
  const child = spawn(process.execPath, [path.join(root, 'bin', 'face-atlas.js'), 'serve', '--open', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  startElectron(electron);
}

/** The built UI is missing or older than its sources (renderer/, shared/). */
function rendererStale() {
  const index = path.join(root, 'dist', 'renderer', 'index.html');
  if (!existsSync(index)) return true;
  const newest = (dir) => readdirSync(dir, { withFileTypes: true })
    .reduce((m, e) => Math.max(m, e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs), 0);
  return statSync(index).mtimeMs < Math.max(newest(path.join(root, 'renderer')), newest(path.join(root, 'shared')));
}

function startElectron(electron) {
  run(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], 'building the renderer');
  run(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/build-app.ts'], 'building the app');

  // better-sqlite3 is a native addon built for the system Node; Electron needs it built for its own ABI.
  const abi = spawnSync(electron, ['-e', "require('better-sqlite3')"], { cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' });
  if (abi.status !== 0) {
    const mismatch = /NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(abi.stderr ?? '');
    console.error(mismatch
      ? `better-sqlite3 is built for Node ${process.versions.node}, not for Electron's ABI.
Rebuild it for Electron:   npx electron-builder install-app-deps   (or: npx @electron/rebuild -o better-sqlite3)
and back for Node (CLI, tests, web mode) afterwards:   npm rebuild better-sqlite3`
      : `Electron cannot load better-sqlite3:\n${abi.stderr}`);
    process.exit(1);
  }

  const child = spawn(electron, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
