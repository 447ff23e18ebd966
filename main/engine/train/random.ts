// Seeded randomness for sampling, splits and weight initialisation (shared with the rest of the engine).
export { seededRandom, randomInt, shuffleInPlace, sampleWithoutReplacement, normalDeviates, type Random } from '../math/random.ts';
