// Runs one job on a worker thread beside this file (`<name>.ts` from sources, `<name>.js` when bundled):
// progress messages go to a callback, the result or error settles the promise, abort terminates the thread.
import { startWorker, workerEntry } from '../engine/workers.ts';

export type JobMessage<P, R> = { type: 'progress'; progress: P } | { type: 'done'; result: R } | { type: 'error'; message: string };

export function runWorkerJob<P, R>(name: string, data: object, opts: { onProgress?: (p: P) => void; signal?: AbortSignal; transfer?: ArrayBuffer[] } = {}): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new DOMException('the job was cancelled', 'AbortError'));
    const worker = startWorker(workerEntry(name, import.meta.url), data);
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = (): void => finish(() => reject(new DOMException('the job was cancelled', 'AbortError')));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: JobMessage<P, R>) => {
      if (m.type === 'progress') opts.onProgress?.(m.progress);
      else if (m.type === 'done') finish(() => resolve(m.result));
      else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`${name} worker exited with code ${code}`))));
  });
}
