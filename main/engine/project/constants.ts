// Tunables of the embedding map (units and how each was chosen). To be merged into shared/settings.ts.

/**
 * Exact kNN up to this many distance evaluations (pairs), HNSW above. Measured on 192-d vectors here:
 * exact costs ~0.3 us a pair (2,000 faces: 0.7 s), HNSW ~0.4 ms a face to build and query (5,000 faces:
 * 2.1 s against 3.8 s exact); they cross near 2,800 faces, i.e. ~4M pairs.
 */
export const EXACT_KNN_MAX_PAIRS = 4_000_000;
/** HNSW graph degree (hnswlib's default; measured recall 0.97-0.99 at k = 14-90 on 192-d synthetic faces). */
export const HNSW_M = 16;
/** HNSW build beam width (hnswlib's default). */
export const HNSW_EF_CONSTRUCTION = 200;

/** UMAP neighbourhood size (umap-learn's default; includes the point itself, as umap-js expects). */
export const UMAP_NEIGHBOURS = 15;
/** UMAP minimum distance between embedded points (umap-learn's default: tight but readable clusters). */
export const UMAP_MIN_DIST = 0.1;

/** t-SNE perplexity u (effective neighbours; van der Maaten 2014 uses 30). */
export const TSNE_PERPLEXITY = 30;
/**
 * Barnes-Hut accuracy/speed trade-off theta, on the cell half-width as in the paper's reference code.
 * Measured: Z within ~6% of exact on 2,000 random points; theta 0.25 took twice as long on 5,000 faces
 * for the same neighbourIdentity (1.000 against 0.9998).
 */
export const TSNE_THETA = 0.5;
/** Gradient-descent iterations in all (the paper's 1000). */
export const TSNE_ITERATIONS = 1000;
/** Early exaggeration alpha and its length in iterations (van der Maaten 2014: 12 for 250). */
export const TSNE_EARLY_EXAGGERATION = 12;
export const TSNE_EXAGGERATION_ITERATIONS = 250;
/** Momentum during and after early exaggeration (van der Maaten 2014: 0.5 then 0.8). */
export const TSNE_MOMENTUM_EARLY = 0.5;
export const TSNE_MOMENTUM_LATE = 0.8;
/** Learning rate floor: the rate is max(n / alpha, this) (n / alpha: Belkina et al. 2019; 200: the paper's code). */
export const TSNE_MIN_LEARNING_RATE = 200;
/** Standard deviation of the seeded Gaussian initial layout (van der Maaten 2014: 1e-4). */
export const TSNE_INITIAL_SPREAD = 1e-4;
/** Fitted neighbours whose weighted median places a face left out of a sampled fit (placement.ts). */
export const PLACEMENT_NEIGHBOURS = 10;
/** Perplexity of the placement weights over those neighbours (weights concentrate on ~3 of them). */
export const PLACEMENT_PERPLEXITY = 3;
/** Weiszfeld steps from the weighted mean towards the weighted geometric median (placement.ts). */
export const WEISZFELD_STEPS = 20;

/** Map coordinates span [-MAP_EXTENT, MAP_EXTENT] on the longer axis (unitless; the UI scales to pixels). */
export const MAP_EXTENT = 1;
/** Rows per umap-js transform / t-SNE placement batch: 2,000 rows took ~1.5 s in umap-js, a progress step each. */
export const PLACEMENT_BATCH = 2000;
/** The in-thread projector yields to the event loop (progress, abort) at least this often, in ms. */
export const YIELD_INTERVAL_MS = 50;

/**
 * Largest number of faces fitted directly; above it a stratified sample of this size is fitted and the
 * rest placed (UMAP_PLACEMENT; t-SNE: placement.ts). Measured whole fits on this 2-core machine
 * (shared, load ~10), 192-d synthetic faces, time / peak RSS:
 *   UMAP   5k 19 s / 372 MB, 10k 35 s / 600 MB, 20k 63 s / 1.19 GB: linear, ~3 ms and ~57 KB a face
 *          (umap-js keeps its graphs as Maps of string keys), so 50k whole would need ~3 GB;
 *          20k bounds memory near 1.2 GB and time near a minute.
 *   t-SNE  5k 21 s / 172 MB, 10k 47 s / 209 MB, 20k 124 s / 272 MB: memory is small but time grows
 *          faster than n (n log n per iteration, 1,000 iterations), so 10k keeps the fit under a minute.
 */
export const MAX_FIT = { umap: 20_000, tsne: 10_000 } as const;

/**
 * How a sampled UMAP map places the faces left out of the fit: umap-js `transform` (the default asked
 * for) or 'neighbour-median' (placement.ts, as for t-SNE). Measured on 25,000 synthetic faces with
 * 10,000 fitted: neighbourIdentity 0.53 with transform (24.9 s) against 0.87 with the median (11.0 s);
 * bench:map at 50,000 (20,000 fitted): 0.34 in 128 s against 0.72 in 73 s (the 192-d space: 0.94).
 * transform starts each face at the plain weighted mean of its 15 neighbours, which a few wrong
 * neighbours drag off its identity, and its 67 epochs do not bring it back.
 */
export const UMAP_PLACEMENT: 'transform' | 'neighbour-median' = 'transform';
