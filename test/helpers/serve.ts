// Runs the real `face-atlas serve` as a child process: its printed address (token included), whether it
// died, and a clean stop (SIGINT, as Ctrl+C). And raw bytes to its port, for requests no HTTP client sends.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
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

export interface Exchange {
  /** Everything the server sent. */
  data: Buffer;
  /** The server closed (or reset) the connection. */
  closed: boolean;
}

/**
 * Sends `bytes` to 127.0.0.1:`port` and resolves once `done` says the server has answered enough (by
 * default: a complete response head), or it closed the connection, or `timeoutMs` passed.
 */
export function exchange(port: number, bytes: Buffer | string, done: (data: Buffer) => boolean = hasHead, timeoutMs = 5000): Promise<Exchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ data: Buffer.concat(chunks), closed });
    };
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write(bytes, () => undefined));
    const timer = setTimeout(() => finish(false), timeoutMs);
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      if (done(Buffer.concat(chunks))) finish(false);
    });
    s.on('error', () => finish(true));
    s.on('close', () => finish(true));
  });
}

/** A complete HTTP response head has arrived. */
export const hasHead = (b: Buffer): boolean => b.includes('\r\n\r\n');

/** The status line of the server's answer to raw request text ('' when it closed without one). */
export async function statusLine(port: number, text: string): Promise<string> {
  const { data } = await exchange(port, text);
  return data.toString('latin1').split('\r\n')[0] ?? '';
}
