// Runs a parsed TFLite graph with tfjs ops. Weights become tfjs tensors once at load time; the
// op list is compiled into closures, with PReLU sub-graphs and conv + bias + activation fused so the
// wasm backend runs one kernel where the file has six.
import { tf } from '../backend.ts';
import type { TfliteModel, TfliteOperator, Table } from './reader.ts';
import {
  Activation, ArithmeticOptionsField, BuiltinOp, Conv2DOptionsField, DepthwiseConv2DOptionsField,
  FullyConnectedOptionsField, Padding, Pool2DOptionsField, ReducerOptionsField,
} from './schema.ts';

type Step = (values: (tf.Tensor | undefined)[]) => void;

export class UnsupportedOpError extends Error {}

function padding(code: number): 'same' | 'valid' {
  return code === Padding.VALID ? 'valid' : 'same';
}

function activationName(code: number): 'linear' | 'relu' | 'relu6' {
  if (code === Activation.NONE) return 'linear';
  if (code === Activation.RELU) return 'relu';
  if (code === Activation.RELU6) return 'relu6';
  throw new UnsupportedOpError(`fused activation ${code} is not supported`);
}

function applyActivation(x: tf.Tensor, code: number): tf.Tensor {
  const name = activationName(code);
  return name === 'relu' ? tf.relu(x) : name === 'relu6' ? tf.relu6(x) : x;
}

function opt(options: Table | null, field: number, dflt: number): number {
  return options ? options.int32(field, dflt) : dflt;
}
function optByte(options: Table | null, field: number, dflt: number): number {
  return options ? options.int8(field, dflt) : dflt;
}

export interface PreluFusion {
  /** Index of the op whose output the fused PReLU produces. */
  outputOp: number;
  input: number;
  output: number;
  alpha: Float32Array;
  ops: Set<number>;
}

/**
 * Finds PReLU written out as element-wise ops:
 *   MTCNN:         y = relu(x) + alpha * -relu(-x)
 *   MobileFaceNet: y = relu(x) + m * (x - |x|)   (= prelu with alpha = 2m)
 */
export function findPrelus(model: TfliteModel): PreluFusion[] {
  const producer = new Map<number, number>();
  const consumers = new Map<number, number>();
  model.operators.forEach((op, i) => {
    op.outputs.forEach((t) => producer.set(t, i));
    op.inputs.forEach((t) => t >= 0 && consumers.set(t, (consumers.get(t) ?? 0) + 1));
  });
  const ops = model.operators;
  const isConst = (t: number) => model.tensors[t].data !== null;
  const prod = (t: number, code: number): TfliteOperator | null => {
    const i = producer.get(t);
    return i !== undefined && ops[i].opcode === code ? ops[i] : null;
  };
  const only = (t: number) => consumers.get(t) === 1;
  const found: PreluFusion[] = [];
  ops.forEach((add, addIndex) => {
    if (add.opcode !== BuiltinOp.ADD || add.inputs.length !== 2) return;
    for (const [reluT, mulT] of [add.inputs, [...add.inputs].reverse()]) {
      const relu = prod(reluT, BuiltinOp.RELU);
      const mul = prod(mulT, BuiltinOp.MUL);
      if (!relu || !mul || !only(reluT) || !only(mulT)) continue;
      const x = relu.inputs[0];
      const constIn = mul.inputs.find(isConst);
      const varIn = mul.inputs.find((t) => !isConst(t));
      if (constIn === undefined || varIn === undefined || !only(varIn)) continue;
      const alphaRaw = model.tensors[constIn].data as Float32Array;
      const members = new Set([producer.get(reluT)!, producer.get(mulT)!, addIndex]);
      let scale = 0;
      const neg1 = prod(varIn, BuiltinOp.NEG);
      const sub = prod(varIn, BuiltinOp.SUB);
      if (neg1) {
        const relu2 = prod(neg1.inputs[0], BuiltinOp.RELU);
        const neg0 = relu2 && only(neg1.inputs[0]) ? prod(relu2.inputs[0], BuiltinOp.NEG) : null;
        if (neg0 && only(relu2!.inputs[0]) && neg0.inputs[0] === x) {
          scale = 1;
          [varIn, neg1.inputs[0], relu2!.inputs[0]].forEach((t) => members.add(producer.get(t)!));
        }
      } else if (sub && sub.inputs[0] === x) {
        const abs = prod(sub.inputs[1], BuiltinOp.ABS);
        if (abs && abs.inputs[0] === x && only(sub.inputs[1])) {
          scale = 2;
          [varIn, sub.inputs[1]].forEach((t) => members.add(producer.get(t)!));
        }
      }
      if (!scale) continue;
      found.push({ outputOp: addIndex, input: x, output: add.outputs[0], alpha: alphaRaw.map((a) => a * scale), ops: members });
      return;
    }
  });
  return found;
}

export class TfliteGraph {
  private readonly weights = new Map<number, tf.Tensor>();
  private readonly extra: tf.Tensor[] = [];
  private readonly steps: Step[] = [];
  readonly inputIndex: number;
  readonly outputIndices: number[];

  /** `fuse: false` runs the file's ops one by one: the reference that tests compare the fused graph against. */
  constructor(readonly model: TfliteModel, private readonly options: { fuse?: boolean } = {}) {
    if (model.inputs.length !== 1) throw new UnsupportedOpError('only single-input graphs are supported');
    this.inputIndex = model.inputs[0];
    this.outputIndices = model.outputs;
    this.compile();
  }

  private keep<T extends tf.Tensor>(t: T): T {
    this.extra.push(t);
    return t;
  }

  private constTensor(index: number, transform?: (t: tf.Tensor) => tf.Tensor): tf.Tensor {
    const t = this.model.tensors[index];
    if (!t.data) throw new UnsupportedOpError(`tensor ${t.name} is expected to be constant`);
    const key = transform ? -1 - index : index;
    let w = this.weights.get(key);
    if (!w) {
      const base = t.data instanceof Int32Array ? tf.tensor(t.data, t.shape.length ? t.shape : [], 'int32') : tf.tensor(t.data, t.shape.length ? t.shape : []);
      w = transform ? tf.tidy(() => transform(base)) : base;
      if (transform) base.dispose();
      this.weights.set(key, w);
    }
    return w;
  }

  private operand(values: (tf.Tensor | undefined)[], index: number): tf.Tensor {
    const v = values[index] ?? this.weights.get(index);
    if (v) return v;
    throw new Error(`tensor ${this.model.tensors[index].name} used before it was computed`);
  }

  private compile(): void {
    const { model } = this;
    // Constants are made once here: made lazily inside run()'s tidy they would be disposed after the first call.
    for (const op of model.operators) for (const t of op.inputs) if (t >= 0 && model.tensors[t].data) this.constTensor(t);
    const prelus = this.options.fuse === false ? [] : findPrelus(model);
    const fusedAway = new Set<number>();
    const preluAt = new Map<number, PreluFusion>();
    for (const p of prelus) {
      p.ops.forEach((i) => fusedAway.add(i));
      preluAt.set(p.outputOp, p);
    }
    // A conv whose only consumer is a fused PReLU absorbs it.
    const preluByInput = new Map(prelus.map((p) => [p.input, p]));
    const absorbed = new Set<PreluFusion>();

    model.operators.forEach((op, i) => {
      if (preluAt.has(i)) {
        const p = preluAt.get(i)!;
        if (absorbed.has(p)) return;
        const alpha = this.keep(tf.tensor1d(p.alpha));
        this.steps.push((v) => { v[p.output] = tf.prelu(this.operand(v, p.input), alpha); });
        return;
      }
      if (fusedAway.has(i)) return;
      const out = op.outputs[0];
      const o = op.options;
      const candidate = preluByInput.get(out);
      // The PReLU consumes `out` through RELU, NEG/ABS and SUB: 3 uses (MTCNN: relu, neg) or (MFN: relu, abs, sub).
      const fusePrelu = candidate && (op.opcode === BuiltinOp.CONV_2D || op.opcode === BuiltinOp.DEPTHWISE_CONV_2D)
        && !model.outputs.includes(out)
        && model.operators.every((other, j) => candidate.ops.has(j) || !other.inputs.includes(out)) ? candidate : undefined;
      switch (op.opcode) {
        case BuiltinOp.CONV_2D: {
          const filter = this.constTensor(op.inputs[1], (w) => tf.transpose(w, [1, 2, 3, 0]));
          const bias = op.inputs[2] >= 0 ? this.constTensor(op.inputs[2]) : undefined;
          const strides: [number, number] = [opt(o, Conv2DOptionsField.strideH, 1), opt(o, Conv2DOptionsField.strideW, 1)];
          const dilations: [number, number] = [opt(o, Conv2DOptionsField.dilationH, 1), opt(o, Conv2DOptionsField.dilationW, 1)];
          const pad = padding(optByte(o, Conv2DOptionsField.padding, 0));
          const act = optByte(o, Conv2DOptionsField.activation, 0);
          const fused = fusePrelu && act === Activation.NONE ? fusePrelu : undefined;
          if (fused) absorbed.add(fused);
          const alpha = fused ? this.keep(tf.tensor1d(fused.alpha)) : undefined;
          const target = fused ? fused.output : out;
          this.steps.push((v) => {
            v[target] = tf.fused.conv2d({
              x: this.operand(v, op.inputs[0]) as tf.Tensor4D, filter: filter as tf.Tensor4D, strides, pad, dilations, bias,
              activation: fused ? 'prelu' : activationName(act), preluActivationWeights: alpha,
            });
          });
          break;
        }
        case BuiltinOp.DEPTHWISE_CONV_2D: {
          const raw = model.tensors[op.inputs[1]].shape; // [1, H, W, C*M]
          const mult = opt(o, DepthwiseConv2DOptionsField.depthMultiplier, 1) || 1;
          const filter = this.constTensor(op.inputs[1], (w) => tf.reshape(w, [raw[1], raw[2], raw[3] / mult, mult]));
          const bias = op.inputs[2] >= 0 ? this.constTensor(op.inputs[2]) : undefined;
          const strides: [number, number] = [opt(o, DepthwiseConv2DOptionsField.strideH, 1), opt(o, DepthwiseConv2DOptionsField.strideW, 1)];
          const dilations: [number, number] = [opt(o, DepthwiseConv2DOptionsField.dilationH, 1), opt(o, DepthwiseConv2DOptionsField.dilationW, 1)];
          const pad = padding(optByte(o, DepthwiseConv2DOptionsField.padding, 0));
          const act = optByte(o, DepthwiseConv2DOptionsField.activation, 0);
          const fused = fusePrelu && act === Activation.NONE ? fusePrelu : undefined;
          if (fused) absorbed.add(fused);
          const alpha = fused ? this.keep(tf.tensor1d(fused.alpha)) : undefined;
          const target = fused ? fused.output : out;
          this.steps.push((v) => {
            v[target] = tf.fused.depthwiseConv2d({
              x: this.operand(v, op.inputs[0]) as tf.Tensor4D, filter: filter as tf.Tensor4D, strides, pad, dilations, bias,
              activation: fused ? 'prelu' : activationName(act), preluActivationWeights: alpha,
            });
          });
          break;
        }
        case BuiltinOp.MAX_POOL_2D:
        case BuiltinOp.AVERAGE_POOL_2D: {
          const size: [number, number] = [opt(o, Pool2DOptionsField.filterH, 1), opt(o, Pool2DOptionsField.filterW, 1)];
          const strides: [number, number] = [opt(o, Pool2DOptionsField.strideH, 1), opt(o, Pool2DOptionsField.strideW, 1)];
          const pad = padding(optByte(o, Pool2DOptionsField.padding, 0));
          const act = optByte(o, Pool2DOptionsField.activation, 0);
          const pool = op.opcode === BuiltinOp.MAX_POOL_2D ? tf.maxPool : tf.avgPool;
          this.steps.push((v) => { v[out] = applyActivation(pool(this.operand(v, op.inputs[0]) as tf.Tensor4D, size, strides, pad), act); });
          break;
        }
        case BuiltinOp.FULLY_CONNECTED: {
          const w = this.constTensor(op.inputs[1], (t) => tf.transpose(t)); // [out,in] -> [in,out]
          const inDim = model.tensors[op.inputs[1]].shape[1];
          const bias = op.inputs.length > 2 && op.inputs[2] >= 0 ? this.constTensor(op.inputs[2]) : undefined;
          const act = optByte(o, FullyConnectedOptionsField.activation, 0);
          this.steps.push((v) => {
            const x = tf.reshape(this.operand(v, op.inputs[0]), [-1, inDim]) as tf.Tensor2D;
            v[out] = tf.fused.matMul({ a: x, b: w as tf.Tensor2D, bias, activation: activationName(act) });
          });
          break;
        }
        case BuiltinOp.ADD:
        case BuiltinOp.SUB:
        case BuiltinOp.MUL:
        case BuiltinOp.DIV:
        case BuiltinOp.MAXIMUM: {
          const fn = { [BuiltinOp.ADD]: tf.add, [BuiltinOp.SUB]: tf.sub, [BuiltinOp.MUL]: tf.mul, [BuiltinOp.DIV]: tf.div, [BuiltinOp.MAXIMUM]: tf.maximum }[op.opcode]!;
          const act = op.opcode === BuiltinOp.MAXIMUM ? 0 : optByte(o, ArithmeticOptionsField.activation, 0);
          this.steps.push((v) => { v[out] = applyActivation(fn(this.operand(v, op.inputs[0]), this.operand(v, op.inputs[1])), act); });
          break;
        }
        case BuiltinOp.RELU: this.steps.push((v) => { v[out] = tf.relu(this.operand(v, op.inputs[0])); }); break;
        case BuiltinOp.RELU6: this.steps.push((v) => { v[out] = tf.relu6(this.operand(v, op.inputs[0])); }); break;
        case BuiltinOp.NEG: this.steps.push((v) => { v[out] = tf.neg(this.operand(v, op.inputs[0])); }); break;
        case BuiltinOp.ABS: this.steps.push((v) => { v[out] = tf.abs(this.operand(v, op.inputs[0])); }); break;
        case BuiltinOp.EXP: this.steps.push((v) => { v[out] = tf.exp(this.operand(v, op.inputs[0])); }); break;
        case BuiltinOp.LOGISTIC: this.steps.push((v) => { v[out] = tf.sigmoid(this.operand(v, op.inputs[0])); }); break;
        case BuiltinOp.SOFTMAX: this.steps.push((v) => { v[out] = tf.softmax(this.operand(v, op.inputs[0])); }); break;
        case BuiltinOp.SUM:
        case BuiltinOp.REDUCE_MAX:
        case BuiltinOp.MEAN: {
          const axes = Array.from(model.tensors[op.inputs[1]].data as Int32Array);
          const keepDims = o ? o.bool(ReducerOptionsField.keepDims, false) : false;
          const fn = op.opcode === BuiltinOp.SUM ? tf.sum : op.opcode === BuiltinOp.MEAN ? tf.mean : tf.max;
          this.steps.push((v) => { v[out] = fn(this.operand(v, op.inputs[0]), axes, keepDims); });
          break;
        }
        case BuiltinOp.RESHAPE: {
          // The batch size is baked into the file's shape constant; keep the runtime batch instead.
          const shape = Array.from(model.tensors[op.inputs[1]].data as Int32Array);
          shape[0] = -1;
          this.steps.push((v) => { v[out] = tf.reshape(this.operand(v, op.inputs[0]), shape); });
          break;
        }
        default:
          throw new UnsupportedOpError(`TFLite op ${op.op} is not supported`);
      }
    });
  }

  /** Runs the graph on one NHWC input; returns the graph outputs in file order. Caller disposes them. */
  run(input: tf.Tensor4D): tf.Tensor[] {
    return tf.tidy(() => {
      const values: (tf.Tensor | undefined)[] = new Array(this.model.tensors.length);
      values[this.inputIndex] = input;
      for (const step of this.steps) step(values);
      return this.outputIndices.map((i) => {
        const t = values[i];
        if (!t) throw new Error(`output ${this.model.tensors[i].name} was not computed`);
        return t;
      });
    });
  }

  dispose(): void {
    this.weights.forEach((w) => w.dispose());
    this.weights.clear();
    this.extra.forEach((t) => t.dispose());
    this.extra.length = 0;
  }
}
