// Starts index-child.ts in its own process and follows its JSON lines; can kill it with SIGKILL at a
// chosen point or run it as another user.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');
const childScript = path.join(here, 'index-child.ts');

export interface ChildRun {
  finished: boolean;
  killed: boolean;
  files: number;
  /** Every JSON line the child printed. */
  lines: { e: string; [k: string]: unknown }[];
}

export interface ChildOptions {
  /** SIGKILL `delayMs` after the child reported `afterFiles` files (0: right after it started). */
  kill?: { afterFiles: number; delayMs: number };
  /** Run as this user and group (needs root). */
  uid?: number;
  gid?: number;
  env?: NodeJS.ProcessEnv;
}

export function runChild(config: object, opts: ChildOptions = {}): Promise<ChildRun> {
  const { kill } = opts;
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(config)], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: opts.uid,
      gid: opts.gid,
      env: { ...process.env, ...opts.env },
    });
    const run: ChildRun = { finished: false, killed: false, files: 0, lines: [] };
    let buffer = '';
    let stderr = '';
    const maybeKill = (): void => {
      if (!kill || run.killed || run.files < kill.afterFiles) return;
      run.killed = true;
      setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl)) as ChildRun['lines'][number];
        buffer = buffer.slice(nl + 1);
        run.lines.push(line);
        if (line.e === 'file') run.files++;
        if (line.e === 'done') run.finished = true;
        if (line.e === 'start' || line.e === 'file') maybeKill();
      }
    });
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && run.killed) resolve(run);
      else if (code === 0 && run.finished) resolve(run);
      else reject(new Error(`index child exited with ${code ?? signal}: ${stderr.slice(-2000)}`));
    });
  });
}
