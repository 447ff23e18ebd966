// Runs the real `face-atlas serve` as a child process: its printed address (token included), whether it
// died, and a clean stop (SIGINT, as Ctrl+C).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'face-atlas.js');

export interface ServeChild {
  child: ChildProcess;
  /** The printed address, token included. */
  url: URL;
  port: number;
  token: string;
  /** null while it runs; how it ended and what it printed once it has exited. */
  exited(): string | null;
  stop(): Promise<void>;
}

export async function startServe(args: string[]): Promise<ServeChild> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let exitedWith: string | null = null;
  child.stderr!.on('data', (d) => (out += d));
  child.once('exit', (code, signal) => (exitedWith = `exit ${code} ${signal ?? ''}: ${out}`));
  const url = await new Promise<URL>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}/.exec(out);
      if (m) resolve(new URL(m[0]));
    });
    child.once('exit', () => reject(new Error(`serve exited early: ${out}`)));
  });
  return {
    child,
    url,
    port: Number(url.port),
    token: url.searchParams.get('token')!,
    exited: () => exitedWith,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await done;
    },
  };
}
