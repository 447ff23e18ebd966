// A TFLite model file as a network for nets.ts: its bytes (hashed for the ONNX cache), its ONNX export,
// and its tfjs runner (our TfliteGraph).
import { readFileSync } from 'node:fs';
import { activeBackend, tf } from '../backend.ts';
import type { Net, NetOutput, NetSource } from '../nets.ts';
import { tfliteToOnnx } from '../onnx/from-tflite.ts';
import { parseTflite } from './reader.ts';
import { TfliteGraph } from './graph.ts';

/** TfliteGraph behind the Net interface: the batch goes in as one tensor, the outputs come back as arrays. */
export class TfjsGraphNet implements Net {
  readonly backend: string;
  constructor(readonly graph: TfliteGraph) {
    this.backend = activeBackend()?.name ?? 'tfjs';
  }

  async run(input: Float32Array, shape: number[]): Promise<NetOutput[]> {
    const x = tf.tensor4d(input, shape as [number, number, number, number]);
    const outs = this.graph.run(x);
    x.dispose();
    const data = await Promise.all(outs.map((o) => o.data() as Promise<Float32Array>));
    const result = outs.map((o, i) => ({ data: data[i], shape: o.shape.slice() }));
    outs.forEach((o) => o.dispose());
    return result;
  }

  dispose(): void {
    this.graph.dispose();
  }
}

export function tfliteNetSource(id: string, file: string): NetSource {
  const bytes = readFileSync(file);
  const model = parseTflite(bytes);
  return {
    id,
    weights: () => bytes,
    toOnnx: () => tfliteToOnnx(model, id),
    tfjs: () => new TfjsGraphNet(new TfliteGraph(model)),
  };
}
