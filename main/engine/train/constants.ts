// Training tunables, with units and how each was chosen (to be merged into shared/settings.ts).

export const TRAIN_DEFAULTS = {
  /** Triplet margin alpha on squared L2 distances of unit vectors (0..4). FaceNet (Schroff et al. 2015) used 0.2. */
  margin: 0.2,
  /** Adam learning rate. Chosen on synthetic identities: 1e-3 moved an identity-initialised head enough in ~200 steps without oscillating. */
  learningRate: 1e-3,
  /** Optimisation steps (batches). ~10-20 s on one wasm thread at batch 256; enough for the synthetic tests to converge. */
  steps: 300,
  /** People per batch (P of P x K). 32 x 8 = 256 faces, the batch FaceNet-style mining needs to find semi-hard negatives. */
  peoplePerBatch: 32,
  /** Faces per person (K), capped by what each person has. */
  facesPerPerson: 8,
  /** Extra negatives per batch from other people or unlabelled faces: more in-batch negatives when few people are labelled. */
  extraNegatives: 16,
  /** Weight of ||W - I||^2 (linear) or ||W2||^2 (residual): keeps the head near identity on small training sets. */
  identityDecay: 1e-3,
  /** Center loss weight lambda (Wen et al. 2016 eq. 5). On unit vectors distances are <= 4, so larger than the paper's 0.003. */
  centerLambda: 0.1,
  /** Centre learning rate alpha_c (Wen et al. 2016 eq. 6); the paper uses 0.5. */
  centerAlpha: 0.5,
  /** Fixed logit scale for softmax on unit-length features: without it logits stay within +-||w|| and the softmax cannot saturate (NormFace, Wang et al. 2017). */
  softmaxScale: 16,
  /** Hidden width of the residual head as a multiple of the embedding size. */
  residualHiddenRatio: 1,
} as const;

export const GUARDRAIL_DEFAULTS = {
  /** Fraction of each trained person's faces held out (at least one, leaving at least one for training). */
  heldOutFraction: 0.5,
  /** Fraction of people (with 2+ faces) never trained on, to check the head does not hurt unseen people. 0 when fewer than 2 would be left out. */
  untrainedFraction: 0.2,
  /** Largest drop in accuracy (0..1) allowed on untrained people: one point, about the noise of a few hundred pairs. */
  untrainedTolerance: 0.01,
  /** Held-out accuracy must rise by more than this (0..1) on verification or identification, and neither may fall. */
  minGain: 0,
  /** Folds for the cross-validated verification threshold, as in LFW's protocol. */
  folds: 10,
} as const;

export const CONV_EMBEDDER_DEFAULTS = {
  /** Output channels of the three 3x3 conv + 2x2 max-pool stages: a small net that trains on one CPU thread. */
  channels: [16, 32, 64] as readonly number[],
  /** Embedding size of the end-to-end embedder. FaceNet used 128. */
  embeddingSize: 64,
  learningRate: 1e-3,
  steps: 100,
  peoplePerBatch: 8,
  facesPerPerson: 4,
} as const;
