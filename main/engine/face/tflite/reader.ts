// Reads a TensorFlow Lite flatbuffer into plain objects: tensors with their constant data and the operator list.
// Only float32 models are supported; the face models we ship are float32.
import * as flatbuffers from 'flatbuffers';
import { readFileSync } from 'node:fs';
import {
  BufferField, BuiltinOpName, ModelField, OperatorCodeField, OperatorField, SubGraphField, TensorField, TensorType,
} from './schema.ts';

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: number;
  /** Constant data (weights), or null for activations. */
  data: Float32Array | Int32Array | null;
}

/** A flatbuffer table with helpers to read its fields by id. */
export class Table {
  constructor(readonly bb: flatbuffers.ByteBuffer, readonly pos: number) {}

  private offset(field: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * field);
  }
  has(field: number): boolean {
    return this.offset(field) !== 0;
  }
  int8(field: number, dflt = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readInt8(this.pos + o) : dflt;
  }
  uint8(field: number, dflt = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readUint8(this.pos + o) : dflt;
  }
  int32(field: number, dflt = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readInt32(this.pos + o) : dflt;
  }
  uint32(field: number, dflt = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readUint32(this.pos + o) : dflt;
  }
  float32(field: number, dflt = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readFloat32(this.pos + o) : dflt;
  }
  bool(field: number, dflt = false): boolean {
    const o = this.offset(field);
    return o ? this.bb.readInt8(this.pos + o) !== 0 : dflt;
  }
  string(field: number): string | null {
    const o = this.offset(field);
    return o ? (this.bb.__string(this.pos + o, flatbuffers.Encoding.UTF16_STRING) as string) : null;
  }
  table(field: number): Table | null {
    const o = this.offset(field);
    return o ? new Table(this.bb, this.bb.__indirect(this.pos + o)) : null;
  }
  vectorLength(field: number): number {
    const o = this.offset(field);
    return o ? this.bb.__vector_len(this.pos + o) : 0;
  }
  tables(field: number): Table[] {
    const o = this.offset(field);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    const out: Table[] = [];
    for (let i = 0; i < n; i++) out.push(new Table(this.bb, this.bb.__indirect(start + 4 * i)));
    return out;
  }
  int32s(field: number): number[] {
    const o = this.offset(field);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.bb.readInt32(start + 4 * i));
    return out;
  }
  /** A [ubyte] vector as a view into the file bytes. */
  bytes(field: number): Uint8Array | null {
    const o = this.offset(field);
    if (!o) return null;
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    return this.bb.bytes().subarray(start, start + n);
  }
}

export interface TfliteOperator {
  op: string;
  opcode: number;
  inputs: number[];
  outputs: number[];
  options: Table | null;
}

export interface TfliteModel {
  version: number;
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  inputs: number[];
  outputs: number[];
}

export class TfliteFormatError extends Error {}

function copyAligned(bytes: Uint8Array): ArrayBuffer {
  // Buffer data is not guaranteed 4-byte aligned inside the file, so copy before viewing as floats.
  const buf = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buf).set(bytes);
  return buf;
}

export function parseTflite(bytes: Uint8Array): TfliteModel {
  if (bytes.length < 8 || String.fromCharCode(...bytes.subarray(4, 8)) !== 'TFL3') {
    throw new TfliteFormatError('not a TensorFlow Lite model (missing TFL3 identifier)');
  }
  const bb = new flatbuffers.ByteBuffer(bytes);
  const model = new Table(bb, bb.readInt32(bb.position()) + bb.position());
  const buffers = model.tables(ModelField.buffers);
  const opcodes = model.tables(ModelField.operatorCodes).map((c) => {
    // Newer files store codes > 127 in builtin_code; older ones only in deprecated_builtin_code.
    return Math.max(c.int8(OperatorCodeField.deprecatedBuiltinCode), c.int32(OperatorCodeField.builtinCode));
  });
  const subgraphs = model.tables(ModelField.subgraphs);
  if (subgraphs.length !== 1) throw new TfliteFormatError(`expected one subgraph, found ${subgraphs.length}`);
  const sg = subgraphs[0];

  const tensors = sg.tables(SubGraphField.tensors).map((t, index): TfliteTensor => {
    const type = t.int8(TensorField.type);
    const shape = t.int32s(TensorField.shape);
    const bufIndex = t.uint32(TensorField.buffer);
    const raw = bufIndex > 0 && bufIndex < buffers.length ? buffers[bufIndex].bytes(BufferField.data) : null;
    let data: Float32Array | Int32Array | null = null;
    if (raw && raw.byteLength > 0) {
      if (type === TensorType.FLOAT32) data = new Float32Array(copyAligned(raw));
      else if (type === TensorType.INT32) data = new Int32Array(copyAligned(raw));
      else throw new TfliteFormatError(`tensor ${t.string(TensorField.name)} has unsupported type ${type}`);
    }
    return { index, name: t.string(TensorField.name) ?? `t${index}`, shape, type, data };
  });

  const operators = sg.tables(SubGraphField.operators).map((o): TfliteOperator => {
    const opcode = opcodes[o.uint32(OperatorField.opcodeIndex)];
    return {
      opcode,
      op: BuiltinOpName[opcode] ?? `BUILTIN_${opcode}`,
      inputs: o.int32s(OperatorField.inputs),
      outputs: o.int32s(OperatorField.outputs),
      options: o.table(OperatorField.builtinOptions),
    };
  });

  return {
    version: model.uint32(ModelField.version),
    tensors,
    operators,
    inputs: sg.int32s(SubGraphField.inputs),
    outputs: sg.int32s(SubGraphField.outputs),
  };
}

export function readTflite(file: string): TfliteModel {
  return parseTflite(readFileSync(file));
}
