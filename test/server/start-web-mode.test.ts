// `npm start` on a machine without the Electron binary starts web mode: it prints the address and opens
// it in the default browser (here a stand-in `xdg-open` on PATH that records what it was asked to open).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../e2e/harness.ts';

const hasElectron = (() => {
  try {
    createRequire(import.meta.url)('electron');
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(hasElectron || process.platform === 'win32' || process.platform === 'darwin')('npm start without Electron', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fa-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts web mode, prints the address and opens it in the default browser', async () => {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    const opened = path.join(dir, 'opened.txt');
    writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(path.join(bin, 'xdg-open'), 0o755);
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'start.js'), '--db', path.join(dir, 'catalog.db'), '--port', '0'], {
      cwd: repoRoot, env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
          if (m) { clearInterval(timer); resolve(m[0]); }
        }, 100);
        child.on('exit', (code) => { clearInterval(timer); reject(new Error(`npm start exited (${code}): ${err}`)); });
      });
      expect(err).toMatch(/Electron is not installed .*starting web mode instead/);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="app">|<script/);
      for (let i = 0; i < 50 && !existsSync(opened); i++) await new Promise((r) => setTimeout(r, 100));
      expect(readFileSync(opened, 'utf8')).toBe(url);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 240_000);
});
