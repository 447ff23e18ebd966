// Worker-thread entry for projectInWorker (a whole projection) and extendMap (placing new faces among a
// stored map's): runs the request in workerData and posts progress and the result.
import { parentPort, workerData } from 'node:worker_threads';
import { placeAmongAnchors, type PlacementRequest } from './incremental.ts';
import { project, type WorkerMessage, type WorkerRequest } from './projector.ts';

const request = workerData as WorkerRequest | { place: PlacementRequest };
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(message, transfer);

try {
  const coordinates = 'place' in request
    ? placeAmongAnchors(request.place)
    : await project(request.vectors, request.n, request.dim, {
      ...request.options,
      onProgress: (fraction) => post({ type: 'progress', fraction }),
    });
  post({ type: 'done', coordinates }, [coordinates.buffer as ArrayBuffer]);
} catch (error) {
  const failure = error instanceof Error ? error : new Error(String(error));
  post({ type: 'error', message: failure.message, stack: failure.stack });
}
