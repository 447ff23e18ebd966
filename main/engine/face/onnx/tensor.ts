// Axis permutation of dense row-major float data: the weight re-layouts the exporters need (NHWC -> NCHW).

/** out has shape perm.map(k => shape[k]); out[i0, i1, ...] = data[j] where j's axis perm[k] is i_k. */
export function permute(data: Float32Array, shape: number[], perm: number[]): Float32Array {
  const n = shape.length;
  const strides = new Array<number>(n);
  let s = 1;
  for (let k = n - 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k];
  }
  if (data.length !== s) throw new Error(`permute: ${data.length} values for shape [${shape}]`);
  const outShape = perm.map((k) => shape[k]);
  const srcStride = perm.map((k) => strides[k]);
  const out = new Float32Array(s);
  const idx = new Array<number>(n).fill(0);
  let src = 0;
  for (let o = 0; o < s; o++) {
    out[o] = data[src];
    // Odometer over the output index, moving the source offset along the permuted strides.
    for (let k = n - 1; k >= 0; k--) {
      idx[k]++;
      src += srcStride[k];
      if (idx[k] < outShape[k]) break;
      src -= srcStride[k] * outShape[k];
      idx[k] = 0;
    }
  }
  return out;
}
