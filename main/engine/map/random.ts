// Seeded pseudo-random numbers, so a map is reproducible for a given seed (shared with the rest of the engine).
export { seededRandom, gaussianRandom, shuffleInPlace, type Random as RandomSource } from '../math/random.ts';
