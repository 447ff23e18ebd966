// A worker thread of the engine's pool: its own tfjs, detector and embedder; analyses one photo per message.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from './backend.ts';
import { configureNets, netReports, tfjsBackendAskedFor } from './nets.ts';
import { analysePhotoFile, type WorkerRequest, type WorkerResponse, type WorkerSetup } from './analyse.ts';
import { createDetector, createEmbedder } from './models.ts';

const setup = workerData as WorkerSetup;
const ready = (async () => {
  const tfjsName = tfjsBackendAskedFor(setup.backend);
  configureNets({ onnx: !tfjsName, threads: setup.threads, ...(setup.modelCacheDir ? { cacheDir: setup.modelCacheDir } : {}) });
  const tfBackend = await initBackend(tfjsName);
  const detector = await createDetector(setup.detector);
  const embedder = await createEmbedder(setup.embedder);
  return { backend: { ...tfBackend, nets: netReports() }, detector, embedder };
})();

parentPort!.on('message', async (req: WorkerRequest) => {
  try {
    const { detector, embedder } = await ready;
    const result = await analysePhotoFile(req.input, detector, embedder, req.options);
    const transfer = result.faces.map((f) => f.embedding.buffer as ArrayBuffer);
    if (result.pixels) {
      // sharp's output buffer cannot be handed over; a copy into our own buffer can, without another copy.
      result.pixels = { ...result.pixels, data: Uint8Array.from(result.pixels.data) };
      transfer.push(result.pixels.data.buffer as ArrayBuffer);
    }
    parentPort!.postMessage({ id: req.id, ok: true, result } satisfies WorkerResponse, transfer);
  } catch (err) {
    const e = err as Error & { code?: string };
    parentPort!.postMessage({ id: req.id, ok: false, error: { name: e.name, code: e.code, message: e.message } } satisfies WorkerResponse);
  }
});

ready.then(
  ({ backend }) => parentPort!.postMessage({ id: -1, ok: true, backend }),
  (err) => parentPort!.postMessage({ id: -1, ok: false, error: { name: 'InitError', message: (err as Error).message } }),
);
