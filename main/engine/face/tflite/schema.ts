// Field numbers and enum values of the TensorFlow Lite flatbuffer schema (tensorflow/lite/schema/schema.fbs)
// that our readers need. Vtable slot = 4 + 2 * field id.

export const ModelField = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4 } as const;
export const OperatorCodeField = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 } as const;
export const SubGraphField = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;
export const TensorField = { shape: 0, type: 1, buffer: 2, name: 3 } as const;
export const OperatorField = { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptionsType: 3, builtinOptions: 4 } as const;
export const BufferField = { data: 0, offset: 1, size: 2 } as const;

/** BuiltinOperator enum values used by the face models. */
export const BuiltinOp = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  FULLY_CONNECTED: 9,
  L2_NORMALIZATION: 11,
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  MUL: 18,
  RELU: 19,
  RELU6: 21,
  RESHAPE: 22,
  SOFTMAX: 25,
  PAD: 34,
  TRANSPOSE: 39,
  MEAN: 40,
  SUB: 41,
  DIV: 42,
  SQUEEZE: 43,
  EXP: 47,
  PRELU: 54,
  MAXIMUM: 55,
  NEG: 59,
  SUM: 74,
  SQRT: 75,
  RSQRT: 76,
  REDUCE_MAX: 82,
  ABS: 101,
} as const;

export const BuiltinOpName: Record<number, string> = Object.fromEntries(
  Object.entries(BuiltinOp).map(([name, code]) => [code, name]),
);

/** TensorType enum. */
export const TensorType = { FLOAT32: 0, FLOAT16: 1, INT32: 2, UINT8: 3, INT64: 4 } as const;

/** Padding enum of Conv2DOptions / Pool2DOptions / DepthwiseConv2DOptions. */
export const Padding = { SAME: 0, VALID: 1 } as const;

/** ActivationFunctionType enum. */
export const Activation = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3, TANH: 4 } as const;

/** Field ids inside the builtin option tables. */
export const Conv2DOptionsField = { padding: 0, strideW: 1, strideH: 2, activation: 3, dilationW: 4, dilationH: 5 } as const;
export const DepthwiseConv2DOptionsField = {
  padding: 0, strideW: 1, strideH: 2, depthMultiplier: 3, activation: 4, dilationW: 5, dilationH: 6,
} as const;
export const Pool2DOptionsField = { padding: 0, strideW: 1, strideH: 2, filterW: 3, filterH: 4, activation: 5 } as const;
export const FullyConnectedOptionsField = { activation: 0, weightsFormat: 1, keepNumDims: 2 } as const;
/** AddOptions, SubOptions, MulOptions and DivOptions all keep the fused activation in field 0. */
export const ArithmeticOptionsField = { activation: 0 } as const;
export const ReshapeOptionsField = { newShape: 0 } as const;
export const ReducerOptionsField = { keepDims: 0 } as const;
export const ConcatenationOptionsField = { axis: 0, activation: 1 } as const;
export const SoftmaxOptionsField = { beta: 0 } as const;
