// Exports a parsed TFLite graph (MTCNN P/R/O-Net, MobileFaceNet) as an ONNX graph. TFLite is NHWC and ONNX
// convolutions are NCHW, so every value is kept in whichever layout its consumers need, with a Transpose only
// where a layout changes (the input, before a flatten, the outputs); element-wise PReLU sub-graphs become
// per-channel convolutions ONNX Runtime fuses (see the PReLU case below).
// The graph's input and outputs keep the TFLite shapes, with batch (and for P-Net height and width) dynamic.
import { findPrelus, type PreluFusion } from '../tflite/graph.ts';
import type { TfliteModel, Table } from '../tflite/reader.ts';
import {
  Activation, ArithmeticOptionsField, BuiltinOp, Conv2DOptionsField, DepthwiseConv2DOptionsField,
  FullyConnectedOptionsField, Padding, Pool2DOptionsField, ReducerOptionsField,
} from '../tflite/schema.ts';
import { OnnxGraphBuilder } from './builder.ts';
import { permute } from './tensor.ts';

export class OnnxExportError extends Error {}

/** NHWC axis -> its position in NCHW. */
const NHWC_TO_NCHW_AXIS = [0, 2, 3, 1];

interface Value {
  plain?: string;
  nchw?: string;
}

function opt(options: Table | null, field: number, dflt: number): number {
  return options ? options.int32(field, dflt) : dflt;
}
function optByte(options: Table | null, field: number, dflt: number): number {
  return options ? options.int8(field, dflt) : dflt;
}
function autoPad(code: number): string {
  return code === Padding.VALID ? 'VALID' : 'SAME_UPPER';
}

export function tfliteToOnnx(model: TfliteModel, name: string): Uint8Array {
  if (model.inputs.length !== 1) throw new OnnxExportError('only single-input graphs are supported');
  const g = new OnnxGraphBuilder(name);
  const tensors = model.tensors;
  const values = new Map<number, Value>();
  const rank = (t: number) => tensors[t].shape.length;
  const isConst = (t: number) => tensors[t].data !== null;

  const inShape = tensors[model.inputs[0]].shape;
  const dims = inShape.length === 4 ? ['batch', 'height', 'width', inShape[3]] : ['batch', ...inShape.slice(1)];
  values.set(model.inputs[0], { plain: g.input('input', dims) });

  const value = (t: number): Value => {
    const v = values.get(t);
    if (!v) throw new OnnxExportError(`tensor ${tensors[t].name} used before it was computed`);
    return v;
  };
  const nchw = (t: number): string => {
    const v = value(t);
    v.nchw ??= g.node('Transpose', [v.plain!], { perm: [0, 3, 1, 2] });
    return v.nchw;
  };
  const plain = (t: number): string => {
    const v = value(t);
    v.plain ??= g.node('Transpose', [v.nchw!], { perm: [0, 2, 3, 1] });
    return v.plain;
  };
  const hasNchw = (t: number) => !isConst(t) && rank(t) === 4 && value(t).nchw !== undefined;
  /** A constant operand of an element-wise op, laid out to broadcast like its NHWC original. */
  const constOperand = (t: number, inNchw: boolean): string => {
    const { data, shape } = tensors[t];
    const floats = Float32Array.from(data as Float32Array);
    if (!inNchw || shape.length === 0) return g.constFloat('c', floats, shape);
    const padded = [...new Array(4 - shape.length).fill(1), ...shape];
    return g.constFloat('c', permute(floats, padded, [0, 3, 1, 2]), [padded[0], padded[3], padded[1], padded[2]]);
  };
  const activate = (x: string, code: number): string => {
    if (code === Activation.NONE) return x;
    if (code === Activation.RELU) return g.node('Relu', [x]);
    if (code === Activation.RELU6) return g.node('Clip', [x, g.constFloat('zero', [0], []), g.constFloat('six', [6], [])]);
    throw new OnnxExportError(`fused activation ${code} is not supported`);
  };
  const setNchw = (t: number, name: string) => values.set(t, { nchw: name });
  const setPlain = (t: number, name: string) => values.set(t, { plain: name });
  /** Unary ops keep whichever layout their input already has. */
  const unary = (opType: string, x: number, out: number, attrs = {}) => {
    if (hasNchw(x)) setNchw(out, g.node(opType, [nchw(x)], attrs));
    else setPlain(out, g.node(opType, [plain(x)], attrs));
  };

  const prelus = findPrelus(model);
  const fusedAway = new Set<number>();
  const preluAt = new Map<number, PreluFusion>();
  for (const p of prelus) {
    p.ops.forEach((i) => fusedAway.add(i));
    preluAt.set(p.outputOp, p);
  }

  model.operators.forEach((op, i) => {
    const prelu = preluAt.get(i);
    if (prelu) {
      const c = prelu.alpha.length;
      const spatial = rank(prelu.input) === 4;
      const x = spatial ? nchw(prelu.input) : plain(prelu.input);
      let y: string;
      if (spatial) {
        // PReLU as x + (1 - alpha) * relu(-x): two 1x1 depthwise convolutions, the first with its ReLU fused
        // and the second with the residual Add fused, which ONNX Runtime keeps in its blocked NCHWc layout.
        // Element-wise Min/Mul/Add (or its PRelu kernel) made it reorder every PReLU's tensor out of that
        // layout and back: 22% of MobileFaceNet's time and 30% of P-Net's (outputs within 1e-5).
        const perChannel = (input: string, weights: Float32Array) =>
          g.node('Conv', [input, g.constFloat('w', weights, [c, 1, 1, 1])], { kernel_shape: [1, 1], group: c });
        const negativePart = g.node('Relu', [perChannel(x, new Float32Array(c).fill(-1))]);
        y = g.node('Add', [x, perChannel(negativePart, Float32Array.from(prelu.alpha, (a) => 1 - a))]);
      } else {
        // After a fully connected layer: relu(x) + alpha * min(x, 0), the same function as PRelu, bit for bit.
        const alpha = g.constFloat('alpha', prelu.alpha, [c]);
        y = g.node('Add', [g.node('Relu', [x]), g.node('Mul', [g.node('Min', [x, g.constFloat('zero', [0], [])]), alpha])]);
      }
      if (spatial) setNchw(prelu.output, y);
      else setPlain(prelu.output, y);
      return;
    }
    if (fusedAway.has(i)) return;
    const o = op.options;
    const out = op.outputs[0];
    const [x] = op.inputs;
    switch (op.opcode) {
      case BuiltinOp.CONV_2D:
      case BuiltinOp.DEPTHWISE_CONV_2D: {
        const depthwise = op.opcode === BuiltinOp.DEPTHWISE_CONV_2D;
        const F = depthwise ? DepthwiseConv2DOptionsField : Conv2DOptionsField;
        const w = tensors[op.inputs[1]];
        // TFLite filters: conv [O, H, W, I], depthwise [1, H, W, C * M]; ONNX wants [O, I / group, H, W].
        const perm = depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2];
        const wShape = perm.map((k) => w.shape[k]);
        const inputs = [nchw(x), g.constFloat('w', permute(w.data as Float32Array, w.shape, perm), wShape)];
        if (op.inputs.length > 2 && op.inputs[2] >= 0) inputs.push(g.constFloat('b', tensors[op.inputs[2]].data as Float32Array, [wShape[0]]));
        const attrs = {
          kernel_shape: [w.shape[1], w.shape[2]],
          strides: [opt(o, F.strideH, 1), opt(o, F.strideW, 1)],
          dilations: [opt(o, F.dilationH, 1), opt(o, F.dilationW, 1)],
          auto_pad: autoPad(optByte(o, F.padding, 0)),
          group: depthwise ? tensors[x].shape[3] : 1,
        };
        setNchw(out, activate(g.node('Conv', inputs, attrs), optByte(o, F.activation, 0)));
        break;
      }
      case BuiltinOp.MAX_POOL_2D:
      case BuiltinOp.AVERAGE_POOL_2D: {
        const attrs = {
          kernel_shape: [opt(o, Pool2DOptionsField.filterH, 1), opt(o, Pool2DOptionsField.filterW, 1)],
          strides: [opt(o, Pool2DOptionsField.strideH, 1), opt(o, Pool2DOptionsField.strideW, 1)],
          auto_pad: autoPad(optByte(o, Pool2DOptionsField.padding, 0)),
        };
        const pooled = g.node(op.opcode === BuiltinOp.MAX_POOL_2D ? 'MaxPool' : 'AveragePool', [nchw(x)], attrs);
        setNchw(out, activate(pooled, optByte(o, Pool2DOptionsField.activation, 0)));
        break;
      }
      case BuiltinOp.FULLY_CONNECTED: {
        const w = tensors[op.inputs[1]]; // [out, in]
        // Flattening must follow TFLite's NHWC order, so the input goes back to NHWC first.
        const flat = g.node('Reshape', [plain(x), g.constInt64('shape', [-1, w.shape[1]])]);
        const inputs = [flat, g.constFloat('w', w.data as Float32Array, w.shape)];
        if (op.inputs.length > 2 && op.inputs[2] >= 0) inputs.push(g.constFloat('b', tensors[op.inputs[2]].data as Float32Array, [w.shape[0]]));
        setPlain(out, activate(g.node('Gemm', inputs, { transB: 1 }), optByte(o, FullyConnectedOptionsField.activation, 0)));
        break;
      }
      case BuiltinOp.ADD:
      case BuiltinOp.SUB:
      case BuiltinOp.MUL:
      case BuiltinOp.DIV:
      case BuiltinOp.MAXIMUM: {
        const opType = { [BuiltinOp.ADD]: 'Add', [BuiltinOp.SUB]: 'Sub', [BuiltinOp.MUL]: 'Mul', [BuiltinOp.DIV]: 'Div', [BuiltinOp.MAXIMUM]: 'Max' }[op.opcode]!;
        const vars = op.inputs.filter((t) => !isConst(t));
        if (vars.some((t) => rank(t) !== rank(vars[0]))) throw new OnnxExportError(`${op.op} of tensors of different rank is not supported`);
        const inNchw = vars.length > 0 && vars.some(hasNchw);
        const operands = op.inputs.map((t) => (isConst(t) ? constOperand(t, inNchw) : inNchw ? nchw(t) : plain(t)));
        const act = op.opcode === BuiltinOp.MAXIMUM ? 0 : optByte(o, ArithmeticOptionsField.activation, 0);
        const y = activate(g.node(opType, operands), act);
        if (inNchw) setNchw(out, y);
        else setPlain(out, y);
        break;
      }
      case BuiltinOp.RELU: unary('Relu', x, out); break;
      case BuiltinOp.NEG: unary('Neg', x, out); break;
      case BuiltinOp.ABS: unary('Abs', x, out); break;
      case BuiltinOp.EXP: unary('Exp', x, out); break;
      case BuiltinOp.LOGISTIC: unary('Sigmoid', x, out); break;
      case BuiltinOp.RELU6: {
        const inNchw = hasNchw(x);
        const y = activate(inNchw ? nchw(x) : plain(x), Activation.RELU6);
        if (inNchw) setNchw(out, y);
        else setPlain(out, y);
        break;
      }
      case BuiltinOp.SOFTMAX: {
        if (hasNchw(x)) setNchw(out, g.node('Softmax', [nchw(x)], { axis: 1 }));
        else setPlain(out, g.node('Softmax', [plain(x)], { axis: -1 }));
        break;
      }
      case BuiltinOp.SUM:
      case BuiltinOp.REDUCE_MAX:
      case BuiltinOp.MEAN: {
        const r = rank(x);
        const axes = Array.from(tensors[op.inputs[1]].data as Int32Array).map((a) => (a < 0 ? a + r : a));
        const keepdims = o ? Number(o.bool(ReducerOptionsField.keepDims, false)) : 0;
        // Without keepdims the result's rank drops, so reduce in NHWC where the remaining axes keep their order.
        const inNchw = keepdims === 1 && hasNchw(x);
        const onnxAxes = inNchw ? axes.map((a) => NHWC_TO_NCHW_AXIS[a]) : axes;
        const xin = inNchw ? nchw(x) : plain(x);
        const y = op.opcode === BuiltinOp.SUM
          ? g.node('ReduceSum', [xin, g.constInt64('axes', onnxAxes)], { keepdims })
          : g.node(op.opcode === BuiltinOp.MEAN ? 'ReduceMean' : 'ReduceMax', [xin], { axes: onnxAxes, keepdims });
        if (inNchw) setNchw(out, y);
        else setPlain(out, y);
        break;
      }
      case BuiltinOp.RESHAPE: {
        // The batch size is baked into the file's shape constant; keep the runtime batch instead (as the tfjs runner does).
        const shape = Array.from(tensors[op.inputs[1]].data as Int32Array);
        shape[0] = -1;
        setPlain(out, g.node('Reshape', [plain(x), g.constInt64('shape', shape)]));
        break;
      }
      default:
        throw new OnnxExportError(`TFLite op ${op.op} has no ONNX export`);
    }
  });

  model.outputs.forEach((t, k) => {
    g.node('Identity', [plain(t)], {}, `output${k}`);
    g.output(`output${k}`);
  });
  return g.encode();
}
