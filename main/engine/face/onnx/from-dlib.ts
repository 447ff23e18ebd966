// Exports face-api's dlib ResNet-34 face descriptor (FaceRecognitionNet: forwardInput, convLayer, residual,
// residualDown, scaleLayer in @vladmandic/face-api/src/faceRecognitionNet) as an ONNX graph from its weight map.
// Input: [batch, 150, 150, 3] RGB in 0..255 (our aligned chips); output: [batch, 128], not normalised.
import { OnnxGraphBuilder } from './builder.ts';
import { permute } from './tensor.ts';

export interface NamedArray {
  data: Float32Array;
  shape: number[];
}

const SIZE = 150;
const MEAN_RGB = [122.782, 117.001, 104.298];
const RESIDUAL_BLOCKS = [
  ['conv32_1', false], ['conv32_2', false], ['conv32_3', false],
  ['conv64_down', true], ['conv64_1', false], ['conv64_2', false], ['conv64_3', false],
  ['conv128_down', true], ['conv128_1', false], ['conv128_2', false],
  ['conv256_down', true], ['conv256_1', false], ['conv256_2', false], ['conv256_down_out', true],
] as const;

/** Output side of a 'valid' window of size k and stride s over `side` pixels; 'same' keeps ceil(side / s). */
function outSide(side: number, k: number, s: number, valid: boolean): number {
  return valid ? Math.floor((side - k) / s) + 1 : Math.ceil(side / s);
}

export function dlibToOnnx(weights: Map<string, NamedArray>): Uint8Array {
  const g = new OnnxGraphBuilder('dlib-resnet-128');
  const get = (name: string): NamedArray => {
    const w = weights.get(name);
    if (!w) throw new Error(`dlib weights lack ${name}`);
    return w;
  };
  let side = SIZE;
  let channels = 3;

  /**
   * convLayer: conv + bias, the per-channel scale layer, then ReLU when asked. Tracks the spatial size.
   * `inputAffine` folds a per-input-channel (x - mean) / range into the filters and bias (exact for a
   * 'valid' window, which never reads padding).
   */
  const convLayer = (x: string, prefix: string, stride: number, relu: boolean, valid: boolean, inputAffine?: { mean: number[]; range: number }): string => {
    const f = get(`${prefix}/conv/filters`); // [H, W, I, O]
    const [kh, kw, cin, cout] = f.shape;
    const filters = Float32Array.from(f.data);
    const bias = Float32Array.from(get(`${prefix}/conv/bias`).data);
    if (inputAffine) {
      if (!valid) throw new Error('an input affine folds into a valid convolution only');
      for (let k = 0; k < filters.length; k++) {
        const o = k % cout;
        const i = Math.floor(k / cout) % cin;
        bias[o] -= (f.data[k] * inputAffine.mean[i]) / inputAffine.range;
        filters[k] = f.data[k] / inputAffine.range;
      }
    }
    let y = g.node('Conv', [x, g.constFloat('w', permute(filters, f.shape, [3, 2, 0, 1]), [cout, cin, kh, kw]), g.constFloat('b', bias, [cout])], {
      kernel_shape: [kh, kw], strides: [stride, stride], auto_pad: valid ? 'VALID' : 'SAME_UPPER',
    });
    y = g.node('Mul', [y, g.constFloat('scale', get(`${prefix}/scale/weights`).data, [cout, 1, 1])]);
    y = g.node('Add', [y, g.constFloat('shift', get(`${prefix}/scale/biases`).data, [cout, 1, 1])]);
    side = outSide(side, kh, stride, valid);
    channels = cout;
    return relu ? g.node('Relu', [y]) : y;
  };

  const input = g.input('input', ['batch', SIZE, SIZE, 3]);
  // face-api's (x - mean) / 255 is folded into the first convolution: a separate pass over the input took 5%.
  let x = g.node('Transpose', [input], { perm: [0, 3, 1, 2] });
  x = convLayer(x, 'conv32_down', 2, true, true, { mean: MEAN_RGB, range: 255 });
  x = g.node('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'VALID' });
  side = outSide(side, 3, 2, true);

  for (const [prefix, down] of RESIDUAL_BLOCKS) {
    const inSide = side;
    const inChannels = channels;
    let out = convLayer(x, `${prefix}/conv1`, down ? 2 : 1, true, down);
    out = convLayer(out, `${prefix}/conv2`, 1, false, false);
    let shortcut = x;
    if (down) {
      shortcut = g.node('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2], auto_pad: 'VALID' });
      const pooled = outSide(inSide, 2, 2, true);
      // face-api zero-pads the conv branch by a row and a column when its size falls one short of the pool's,
      // and the shortcut with zero channels when the block widens.
      if (pooled !== side) {
        if (pooled !== side + 1) throw new Error(`dlib block ${prefix}: cannot match sizes ${side} and ${pooled}`);
        out = g.node('Pad', [out, g.constInt64('pads', [0, 0, 0, 0, 0, 0, 1, 1])]);
        side = pooled;
      }
      if (inChannels !== channels) shortcut = g.node('Pad', [shortcut, g.constInt64('pads', [0, 0, 0, 0, 0, channels - inChannels, 0, 0])]);
    }
    x = g.node('Relu', [g.node('Add', [out, shortcut])]);
  }

  const pooled = g.node('ReduceMean', [x], { axes: [2, 3], keepdims: 0 });
  const fc = get('fc');
  g.node('MatMul', [pooled, g.constFloat('fc', fc.data, fc.shape)], {}, 'output0');
  g.output('output0');
  return g.encode();
}
