// Display helpers: names, counts, durations, percentages.
export const personName = (name: string | null | undefined): string => (name && name.trim() ? name : 'Unnamed');

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '…';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export const percent = (x: number | null, digits = 1): string => (x === null || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(digits)}%`);

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A stable, readable colour per person id (golden-angle hues); grey for nobody. */
export function personColour(personId: number | null): [number, number, number] {
  if (personId === null) return [150, 150, 150];
  const h = (personId * 137.508) % 360;
  return hslToRgb(h / 360, 0.65, 0.5);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const f = (n: number): number => {
    const k = (n + h * 12) % 12;
    const a = s * Math.min(l, 1 - l);
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** A probability as a whole percentage that never claims certainty: ">99%", "<1%". */
const chance = (p: number): string => (p >= 0.995 ? '>99%' : p < 0.005 ? '<1%' : `${Math.round(p * 100)}%`);

/** A suggestion's calibrated chance in words, for a label: "Very likely (96%)". */
export function likelihoodText(s: { likelihood: string; probability: number }): string {
  return `${s.likelihood[0].toUpperCase()}${s.likelihood.slice(1)} (${chance(s.probability)})`;
}

/** The hover explanation of a likelihood, with the raw distance as the advanced detail. */
export function likelihoodHint(s: { probability: number; distance: number }): string {
  return `${chance(s.probability)} chance it is the same person, calibrated on labelled pairs of faces. `
    + `Very likely: 90% or more; possible: 50–90%; unlikely: below 50%. Advanced: L2 distance ${s.distance.toFixed(3)}.`;
}
