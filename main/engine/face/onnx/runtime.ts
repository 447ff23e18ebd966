// A network on ONNX Runtime's CPU execution provider (onnxruntime-node, loaded lazily so that a missing
// native binary only moves the networks back to tfjs). Spinning is off: idle threads must not burn a shared CPU.
import { createRequire } from 'node:module';
import type * as OrtTypes from 'onnxruntime-node';
import type { Net, NetOutput } from '../nets.ts';

const require = createRequire(import.meta.url);
let ort: typeof OrtTypes | null = null;

export function loadOnnxRuntime(): typeof OrtTypes {
  ort ??= require('onnxruntime-node') as typeof OrtTypes;
  return ort;
}

export class OnnxNet implements Net {
  readonly backend = 'onnxruntime';
  private constructor(private readonly session: OrtTypes.InferenceSession, private readonly ort: typeof OrtTypes) {}

  static async create(model: Uint8Array, threads: number): Promise<OnnxNet> {
    const runtime = loadOnnxRuntime();
    const session = await runtime.InferenceSession.create(model, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
    return new OnnxNet(session, runtime);
  }

  async run(input: Float32Array, shape: number[]): Promise<NetOutput[]> {
    const feeds = { [this.session.inputNames[0]]: new this.ort.Tensor('float32', input, shape) };
    const out = await this.session.run(feeds);
    return this.session.outputNames.map((name) => ({ data: out[name].data as Float32Array, shape: out[name].dims.slice() }));
  }

  dispose(): void {
    void this.session.release();
  }
}
