// Tunables of the embedding map (units and how each was chosen). To be merged into shared/settings.ts.

/** Exact kNN up to this many distance evaluations (pairs), HNSW above. Placeholder: measured below. */
export const EXACT_KNN_MAX_PAIRS = 4_000_000;
/** HNSW graph degree (hnswlib's default; recall > 0.99 at k <= 90 on 192-d faces). */
export const HNSW_M = 16;
/** HNSW build beam width (hnswlib's default). */
export const HNSW_EF_CONSTRUCTION = 200;

/** UMAP neighbourhood size (umap-learn's default; includes the point itself, as umap-js expects). */
export const UMAP_NEIGHBOURS = 15;
/** UMAP minimum distance between embedded points (umap-learn's default: tight but readable clusters). */
export const UMAP_MIN_DIST = 0.1;

/** t-SNE perplexity u (effective neighbours; van der Maaten 2014 uses 30). */
export const TSNE_PERPLEXITY = 30;
/** Barnes-Hut accuracy/speed trade-off theta (van der Maaten 2014, Sec. 5: 0.5 loses nothing visible). */
export const TSNE_THETA = 0.5;
/** Gradient-descent iterations in all (the paper's 1000). */
export const TSNE_ITERATIONS = 1000;
/** Early exaggeration alpha and its length in iterations (van der Maaten 2014: 12 for 250). */
export const TSNE_EARLY_EXAGGERATION = 12;
export const TSNE_EXAGGERATION_ITERATIONS = 250;
/** Momentum during and after early exaggeration (van der Maaten 2014: 0.5 then 0.8). */
export const TSNE_MOMENTUM_EARLY = 0.5;
export const TSNE_MOMENTUM_LATE = 0.8;
/** Learning rate floor; the rate is max(n / alpha, this) (Belkina et al. 2019; FIt-SNE's default). */
export const TSNE_MIN_LEARNING_RATE = 200;
/** Standard deviation of the seeded Gaussian initial layout (van der Maaten 2014: 1e-4). */
export const TSNE_INITIAL_SPREAD = 1e-4;
/** Fitted neighbours whose weighted mean places a face left out of a sampled t-SNE fit. */
export const TSNE_PLACEMENT_NEIGHBOURS = 10;
/** Perplexity of the placement weights over those neighbours (weights concentrate on ~3 of them). */
export const TSNE_PLACEMENT_PERPLEXITY = 3;

/** Map coordinates span [-MAP_EXTENT, MAP_EXTENT] on the longer axis (unitless; the UI scales to pixels). */
export const MAP_EXTENT = 1;
/** Rows per umap-js transform / t-SNE placement batch: progress and cancellation every ~1 s. */
export const PLACEMENT_BATCH = 2000;
/** The in-thread projector yields to the event loop (progress, abort) at least this often, in ms. */
export const YIELD_INTERVAL_MS = 50;

/** Largest number of faces fitted directly; above it a stratified sample is fitted and the rest placed. */
export const MAX_FIT = { umap: 10_000, tsne: 10_000 } as const;
