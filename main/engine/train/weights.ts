// Named weight tensors packed into one Float32Array plus a JSON-able table of names, shapes and offsets.
import { tf } from '../face/backend.ts';

export interface WeightSpec {
  name: string;
  shape: number[];
  /** Offset in floats into the packed array. */
  offset: number;
}

export interface PackedWeights {
  data: Float32Array;
  specs: WeightSpec[];
}

export type NamedArrays = Record<string, { shape: number[]; values: Float32Array }>;

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function packWeights(arrays: NamedArrays): PackedWeights {
  const specs: WeightSpec[] = [];
  let offset = 0;
  for (const [name, { shape, values }] of Object.entries(arrays)) {
    if (values.length !== sizeOf(shape)) throw new Error(`weight ${name}: ${values.length} values for shape [${shape}]`);
    specs.push({ name, shape: shape.slice(), offset });
    offset += values.length;
  }
  const data = new Float32Array(offset);
  for (const spec of specs) data.set(arrays[spec.name].values, spec.offset);
  return { data, specs };
}

export function unpackWeights(packed: PackedWeights): NamedArrays {
  const out: NamedArrays = {};
  for (const spec of packed.specs) {
    const size = sizeOf(spec.shape);
    if (spec.offset < 0 || spec.offset + size > packed.data.length) throw new Error(`weight ${spec.name} runs past the packed data`);
    out[spec.name] = { shape: spec.shape.slice(), values: packed.data.slice(spec.offset, spec.offset + size) };
  }
  return out;
}

/** Trainable variables, one per named array; dispose them with `disposeVariables`. */
export function toVariables(arrays: NamedArrays): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const [name, { shape, values }] of Object.entries(arrays)) {
    const initial = tf.tensor(values, shape);
    out[name] = tf.variable(initial, true);
    initial.dispose();
  }
  return out;
}

export async function fromVariables(variables: Record<string, tf.Variable>): Promise<NamedArrays> {
  const out: NamedArrays = {};
  for (const [name, variable] of Object.entries(variables)) out[name] = { shape: variable.shape.slice(), values: (await variable.data()) as Float32Array };
  return out;
}

export function disposeVariables(variables: Record<string, tf.Variable>): void {
  for (const variable of Object.values(variables)) variable.dispose();
}
