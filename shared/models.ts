// The ids of the networks FaceAtlas runs, in one place: the settings schema, the tunables keyed by
// embedding model and the engine's model factory all name models through these.

export const DETECTOR_IDS = ['mtcnn', 'ssd'] as const;
export type DetectorId = (typeof DETECTOR_IDS)[number];

export const EMBEDDER_IDS = ['mobilefacenet', 'dlib', 'fused'] as const;
export type EmbedderId = (typeof EMBEDDER_IDS)[number];

/** The id stored with every embedding of each embedder: embeddings of different ids are never compared. */
export const EMBEDDING_MODEL_IDS = {
  mobilefacenet: 'mobilefacenet-192',
  dlib: 'dlib-resnet-128',
  fused: 'fused-mfn192-dlib128',
} as const satisfies Record<EmbedderId, string>;
