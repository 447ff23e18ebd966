// A small writer of ONNX graphs (opset 13) on onnx-proto, the compiled ONNX protobuf: float32 initializers,
// nodes with typed attributes, one float input with symbolic dimensions. Our exporters build on it.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const AttrType = onnx.AttributeProto.AttributeType;

export const OPSET = 13;

/** Integers, int lists and strings are typed by value; a float that may be whole is written `{ float: x }`. */
export type Attr = number | number[] | string | { float: number };

/** Dimension of a graph input: a fixed size or a symbolic name (batch, height...). */
export type Dim = number | string;

export class OnnxGraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private counter = 0;

  constructor(readonly name: string) {}

  /** A fresh value name with a readable prefix. */
  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  output(name: string): void {
    this.outputs.push(valueInfo(name));
  }

  /** A float32 constant of the given shape. */
  constFloat(prefix: string, data: Float32Array | number[], dims: number[]): string {
    const name = this.fresh(prefix);
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    if (values.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`constant ${name}: ${values.length} values for shape [${dims}]`);
    this.initializers.push({ name, dataType: FLOAT, dims, rawData: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) });
    return name;
  }

  /** An int64 constant (shapes, axes). */
  constInt64(prefix: string, data: number[]): string {
    const name = this.fresh(prefix);
    const raw = new BigInt64Array(data.map((v) => BigInt(v)));
    this.initializers.push({ name, dataType: INT64, dims: [data.length], rawData: new Uint8Array(raw.buffer) });
    return name;
  }

  /** Adds a node; returns its first output's name (named `out` when given). */
  node(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, out?: string): string {
    const output = out ?? this.fresh(opType.toLowerCase());
    this.nodes.push({
      opType, input: inputs, output: [output], name: this.fresh(`n_${opType}`),
      attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
    });
    return output;
  }

  /** The serialised ModelProto. */
  encode(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 7,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'face-atlas',
      graph: { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, dims?: Dim[]): onnxProto.onnx.IValueInfoProto {
  const shape = dims ? { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } : undefined;
  return { name, type: { tensorType: { elemType: FLOAT, shape } } };
}

function attribute(name: string, v: Attr): onnxProto.onnx.IAttributeProto {
  if (typeof v === 'string') return { name, type: AttrType.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: AttrType.INTS, ints: v };
  if (typeof v === 'object') return { name, type: AttrType.FLOAT, f: v.float };
  return Number.isInteger(v) ? { name, type: AttrType.INT, i: v } : { name, type: AttrType.FLOAT, f: v };
}
