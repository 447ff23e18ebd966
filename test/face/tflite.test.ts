// The TFLite reader and graph runner: a model built by hand with the flatbuffers Builder must parse to the
// values we wrote, and run to the hand-computed result; the shipped models must run fused exactly as unfused.
import * as flatbuffers from 'flatbuffers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../main/engine/face/backend.ts';
import { expoAsset } from '../../main/engine/face/weights/files.ts';
import { TfliteGraph } from '../../main/engine/face/tflite/graph.ts';
import { parseTflite, readTflite, TfliteFormatError } from '../../main/engine/face/tflite/reader.ts';
import { BuiltinOp } from '../../main/engine/face/tflite/schema.ts';

/** A one-op model: out = FULLY_CONNECTED(in [1,2], W [2,2] stored [out,in], b [2]) with a RELU fused. */
function buildFcModel(w: number[], b: number[]): Uint8Array {
  const fb = new flatbuffers.Builder(1024);
  const floatVector = (xs: number[]) => {
    const bytes = new Uint8Array(new Float32Array(xs).buffer);
    fb.startVector(1, bytes.length, 4);
    for (let i = bytes.length - 1; i >= 0; i--) fb.addInt8(bytes[i]);
    return fb.endVector();
  };
  const intVector = (xs: number[]) => {
    fb.startVector(4, xs.length, 4);
    for (let i = xs.length - 1; i >= 0; i--) fb.addInt32(xs[i]);
    return fb.endVector();
  };
  const table = (fields: [number, (slot: number) => void][]) => {
    fb.startObject(Math.max(...fields.map(([s]) => s)) + 1);
    for (const [slot, add] of fields) add(slot);
    return fb.endObject();
  };
  const buffer = (data?: number) => table(data === undefined ? [[0, () => {}]] : [[0, (s) => fb.addFieldOffset(s, data, 0)]]);
  const wData = floatVector(w);
  const bData = floatVector(b);
  const buffers = [buffer(), buffer(wData), buffer(bData)];
  const tensor = (shape: number[], buf: number, name: string) => {
    const n = fb.createString(name);
    const sh = intVector(shape);
    return table([[0, (s) => fb.addFieldOffset(s, sh, 0)], [1, (s) => fb.addFieldInt8(s, 0, -1)], [2, (s) => fb.addFieldInt32(s, buf, -1)], [3, (s) => fb.addFieldOffset(s, n, 0)]]);
  };
  const tensors = [tensor([1, 2], 0, 'in'), tensor([2, 2], 1, 'w'), tensor([2], 2, 'b'), tensor([1, 2], 0, 'out')];
  const fcOptions = table([[0, (s) => fb.addFieldInt8(s, 1 /* RELU */, 0)]]);
  const opIn = intVector([0, 1, 2]);
  const opOut = intVector([3]);
  const op = table([[0, (s) => fb.addFieldInt32(s, 0, -1)], [1, (s) => fb.addFieldOffset(s, opIn, 0)], [2, (s) => fb.addFieldOffset(s, opOut, 0)],
    [3, (s) => fb.addFieldInt8(s, 8, 0)], [4, (s) => fb.addFieldOffset(s, fcOptions, 0)]]);
  const vec = (xs: number[]) => { fb.startVector(4, xs.length, 4); for (let i = xs.length - 1; i >= 0; i--) fb.addOffset(xs[i]); return fb.endVector(); };
  const tensorsV = vec(tensors);
  const sgIn = intVector([0]);
  const sgOut = intVector([3]);
  const opsV = vec([op]);
  const subgraph = table([[0, (s) => fb.addFieldOffset(s, tensorsV, 0)], [1, (s) => fb.addFieldOffset(s, sgIn, 0)], [2, (s) => fb.addFieldOffset(s, sgOut, 0)], [3, (s) => fb.addFieldOffset(s, opsV, 0)]]);
  const opcode = table([[0, (s) => fb.addFieldInt8(s, BuiltinOp.FULLY_CONNECTED, -1)], [3, (s) => fb.addFieldInt32(s, BuiltinOp.FULLY_CONNECTED, -1)]]);
  const opcodesV = vec([opcode]);
  const subgraphsV = vec([subgraph]);
  const buffersV = vec(buffers);
  const model = table([[0, (s) => fb.addFieldInt32(s, 3, -1)], [1, (s) => fb.addFieldOffset(s, opcodesV, 0)], [2, (s) => fb.addFieldOffset(s, subgraphsV, 0)], [4, (s) => fb.addFieldOffset(s, buffersV, 0)]]);
  fb.finish(model, 'TFL3');
  return fb.asUint8Array();
}

beforeAll(async () => {
  await initBackend();
});

describe('TFLite reader', () => {
  it('parses a hand-built model into the tensors, shapes and weights that were written', () => {
    const m = parseTflite(buildFcModel([1, 2, 3, 4], [0.5, -10]));
    expect(m.version).toBe(3);
    expect(m.tensors.map((t) => t.name)).toEqual(['in', 'w', 'b', 'out']);
    expect(m.tensors[1].shape).toEqual([2, 2]);
    expect(Array.from(m.tensors[1].data!)).toEqual([1, 2, 3, 4]);
    expect(Array.from(m.tensors[2].data!)).toEqual([0.5, -10]);
    expect(m.tensors[0].data).toBeNull();
    expect(m.operators).toHaveLength(1);
    expect(m.operators[0].op).toBe('FULLY_CONNECTED');
    expect(m.operators[0].inputs).toEqual([0, 1, 2]);
    expect(m.inputs).toEqual([0]);
    expect(m.outputs).toEqual([3]);
  });

  it('runs the hand-built model to the hand-computed result (W stored [out, in], fused RELU)', () => {
    const graph = new TfliteGraph(parseTflite(buildFcModel([1, 2, 3, 4], [0.5, -10])));
    const x = tf.tensor4d([1, 1], [1, 1, 1, 2]);
    // out0 = 1*1 + 2*1 + 0.5 = 3.5; out1 = relu(3*1 + 4*1 - 10) = relu(-3) = 0
    const [out] = graph.run(x);
    expect(Array.from(out.dataSync())).toEqual([3.5, 0]);
    out.dispose();
    x.dispose();
    graph.dispose();
  });

  it('rejects a file that is not a TFLite model with a clear error', () => {
    expect(() => parseTflite(new TextEncoder().encode('this is not a model at all'))).toThrow(TfliteFormatError);
  });

  it('reads the shipped MTCNN and MobileFaceNet files with the documented ops and shapes', () => {
    const pnet = readTflite(expoAsset('pnet.tflite'));
    expect(pnet.tensors[pnet.inputs[0]].shape).toEqual([1, 1280, 960, 3]);
    expect(pnet.tensors.find((t) => t.name === 'pnet/conv1/weights/read')!.shape).toEqual([10, 3, 3, 3]);
    const mfn = readTflite(expoAsset('MobileFaceNet.tflite'));
    expect(mfn.tensors[mfn.outputs[0]].shape).toEqual([2, 192]);
    expect(new Set(mfn.operators.map((o) => o.op))).toEqual(new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'RELU', 'ABS', 'SUB', 'MUL', 'ADD', 'RESHAPE']));
  });

  it.each(['pnet', 'rnet', 'onet', 'MobileFaceNet'])('%s: the fused graph equals the op-by-op graph', (name) => {
    const model = readTflite(expoAsset(`${name}.tflite`));
    const fused = new TfliteGraph(model);
    const plain = new TfliteGraph(model, { fuse: false });
    const shape: [number, number, number, number] = name === 'pnet' ? [1, 40, 30, 3] : name === 'rnet' ? [2, 24, 24, 3] : name === 'onet' ? [2, 48, 48, 3] : [2, 112, 112, 3];
    const x = tf.randomUniform(shape, -1, 1, 'float32', 7) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const a = fused.run(x);
    const b = plain.run(x);
    a.forEach((t, i) => {
      const d = tf.tidy(() => t.sub(b[i]).abs().max().dataSync()[0]);
      expect(d).toBeLessThan(1e-3);
    });
    [...a, ...b].forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    fused.dispose();
    plain.dispose();
  });
});
