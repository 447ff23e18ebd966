// Colours of the map: one per person, distinct for many people, grey for unassigned faces, and a
// selection colour no person gets (its hue band is left out of the palette).

export type Rgb = [number, number, number];

export const UNASSIGNED: Rgb = [150, 150, 150];
/** Magenta: people's hues skip SELECTION_HUE +- SELECTION_GAP, so a selected face never looks like a person's. */
export const SELECTION: Rgb = [235, 0, 200];
const SELECTION_HUE = 310;
const SELECTION_GAP = 30;
const GOLDEN_SECTION = 1 - 2 / (1 + Math.sqrt(5));

/** Packed RGBA in a Uint32 (little-endian ABGR, the byte order of ImageData and UNSIGNED_BYTE vertex colours). */
export function packColour([r, g, b]: Rgb, a = 255): number {
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

function hslToRgb(h: number, s: number, l: number): Rgb {
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    const a = s * Math.min(l, 1 - l);
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/**
 * The colour of the person at `rank` (0 = the largest). Consecutive ranks are a golden section of the hue arc
 * apart (so the few largest people differ by 40+ degrees), and every lap round the wheel changes
 * lightness and saturation, so thousands of people do not collapse onto a few near-identical greens.
 */
export function rankColour(rank: number): Rgb {
  const usable = 360 - 2 * SELECTION_GAP;
  // The golden section of the usable arc (137.5 degrees on a full wheel), walked from just after the selection band.
  const turn = usable * GOLDEN_SECTION;
  const hue = (SELECTION_HUE + SELECTION_GAP + ((rank * turn) % usable)) % 360;
  const lap = Math.floor((rank * turn) / usable);
  const lightness = [0.5, 0.38, 0.64, 0.44, 0.58][lap % 5];
  const saturation = [0.72, 0.85, 0.62][Math.floor(lap / 5) % 3];
  return hslToRgb(hue, saturation, lightness);
}

/** person id -> colour, by size rank (largest first); unknown people get grey. */
export function personPalette(personIdsBySize: number[]): (personId: number | null) => Rgb {
  const rank = new Map(personIdsBySize.map((id, r) => [id, r]));
  return (personId) => {
    if (personId === null || personId === 0) return UNASSIGNED;
    const r = rank.get(personId);
    return r === undefined ? UNASSIGNED : rankColour(r);
  };
}
