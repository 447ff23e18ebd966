// The Map's colours: the largest people are far apart, no person looks like the selection or like an
// unassigned face, however many people there are.
import { describe, expect, test } from 'vitest';
import { personPalette, rankColour, SELECTION, UNASSIGNED, type Rgb } from '../../renderer/src/map/palette.ts';

const distance = (a: Rgb, b: Rgb): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

function closestPair(colours: Rgb[]): number {
  let min = Infinity;
  for (let i = 0; i < colours.length; i++) for (let j = i + 1; j < colours.length; j++) min = Math.min(min, distance(colours[i], colours[j]));
  return min;
}

describe('map palette', () => {
  test('the 8 and 12 largest people differ clearly (the old id-hashed hues came within 63 and 39 RGB units)', () => {
    expect(closestPair(Array.from({ length: 8 }, (_, r) => rankColour(r)))).toBeGreaterThan(90);
    expect(closestPair(Array.from({ length: 12 }, (_, r) => rankColour(r)))).toBeGreaterThan(50);
  });

  test('among 5,000 people none is near the selection colour or the unassigned grey', () => {
    for (let r = 0; r < 5000; r++) {
      const c = rankColour(r);
      expect(distance(c, SELECTION), `rank ${r}`).toBeGreaterThan(80);
      expect(distance(c, UNASSIGNED), `rank ${r}`).toBeGreaterThan(60);
    }
  });

  test('colours follow size rank; unknown and unassigned faces are grey', () => {
    const colourOf = personPalette([42, 7, 99]);
    expect(colourOf(42)).toEqual(rankColour(0));
    expect(colourOf(99)).toEqual(rankColour(2));
    expect(colourOf(null)).toEqual(UNASSIGNED);
    expect(colourOf(0)).toEqual(UNASSIGNED);
    expect(colourOf(1234)).toEqual(UNASSIGNED);
  });
});
