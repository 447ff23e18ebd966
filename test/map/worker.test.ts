// projectInWorker: same coordinates as the in-thread projector, progress across the thread, cancellation.
import { describe, expect, it } from 'vitest';
import { project, projectInWorker, type ProjectionMethod } from '../../main/engine/map/projector.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

const faces = syntheticFaces({ n: 240, sizes: 20, noise: 1.2 ** 2, sharedDirection: 0, seed: 21 });

describe.each<ProjectionMethod>(['umap', 'tsne'])('projectInWorker with %s', (method) => {
  it('returns exactly the in-thread result and reports progress', async () => {
    const inThread = await project(faces.vectors, faces.n, faces.dim, { method, seed: 4 });
    const progress: number[] = [];
    const inWorker = await projectInWorker(faces.vectors, faces.n, faces.dim, {
      method,
      seed: 4,
      onProgress: (fraction) => progress.push(fraction),
    });
    expect(Array.from(inWorker)).toEqual(Array.from(inThread));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(1);
    // Without transferInput the caller keeps its vectors.
    expect(faces.vectors.length).toBe(faces.n * faces.dim);
  });
});

describe('projectInWorker cancellation', () => {
  it('rejects with the abort reason once aborted mid-run, and reports nothing after', async () => {
    const controller = new AbortController();
    let afterAbort = 0;
    const run = projectInWorker(faces.vectors, faces.n, faces.dim, {
      method: 'tsne',
      seed: 2,
      signal: controller.signal,
      onProgress: (fraction) => {
        if (controller.signal.aborted) afterAbort++;
        else if (fraction > 0.2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(afterAbort).toBe(0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user closed the map'));
    await expect(
      projectInWorker(faces.vectors, faces.n, faces.dim, { method: 'umap', seed: 1, signal: controller.signal }),
    ).rejects.toThrow('user closed the map');
  });

  it('moves the input buffer when asked to transfer it', async () => {
    const copy = faces.vectors.slice();
    const result = await projectInWorker(copy, faces.n, faces.dim, { method: 'tsne', seed: 1, transferInput: true });
    expect(copy.length).toBe(0);
    expect(result.length).toBe(faces.n * 2);
  });
});
