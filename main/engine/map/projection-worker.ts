// Worker-thread entry for projectInWorker: runs `project` on the request in workerData and posts progress and the result.
import { parentPort, workerData } from 'node:worker_threads';
import { project, type WorkerMessage, type WorkerRequest } from './projector.ts';

const request = workerData as WorkerRequest;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(message, transfer);

try {
  const coordinates = await project(request.vectors, request.n, request.dim, {
    ...request.options,
    onProgress: (fraction) => post({ type: 'progress', fraction }),
  });
  post({ type: 'done', coordinates }, [coordinates.buffer as ArrayBuffer]);
} catch (error) {
  const failure = error instanceof Error ? error : new Error(String(error));
  post({ type: 'error', message: failure.message, stack: failure.stack });
}
