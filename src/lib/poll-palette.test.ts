import { describe, expect, it } from 'vitest';
import { contrastRatio, linear, parseColour } from './contrast';
import { agreeScale, barColour, barColours } from './poll-palette';

/** Machado, Oliveira and Fernandes (2009): full protanopia, deuteranopia and tritanopia in linear RGB. */
const deficiencies = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998]
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881]
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039]
  ],
  none: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1]
  ]
};

/** CIE L*a*b* (D65) of a colour as someone with the deficiency sees it. */
function seenAs(colour: string, matrix: number[][]): [number, number, number] {
  const rgb = parseColour(colour).map(linear);
  const [r, g, b] = matrix.map((row) => Math.min(1, Math.max(0, row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2])));
  const xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883];
  const [fx, fy, fz] = xyz.map((t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116));
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

describe('the agree/disagree palette', () => {
  it('holds 3:1 against the dark projector and a white page', () => {
    for (const colour of agreeScale) {
      expect(contrastRatio(colour, '#020617'), colour).toBeGreaterThanOrEqual(3);
      expect(contrastRatio(colour, '#ffffff'), colour).toBeGreaterThanOrEqual(3);
    }
  });

  it('keeps every two steps of the scale apart for each common colour-vision deficiency', () => {
    for (const [name, matrix] of Object.entries(deficiencies)) {
      const seen = agreeScale.map((c) => seenAs(c, matrix));
      for (let i = 0; i < seen.length; i++) {
        for (let j = i + 1; j < seen.length; j++) {
          // ΔE*ab above 10: two colours anyone tells apart at a glance.
          expect(Math.hypot(...seen[i].map((v, k) => v - seen[j][k])), `${name}: ${agreeScale[i]} and ${agreeScale[j]}`).toBeGreaterThan(10);
        }
      }
    }
  });

  it('diverges: darker at both ends, grey in the middle, red for disagreeing and blue for agreeing', () => {
    const [r0, , b0] = parseColour(agreeScale[0]);
    const [r4, , b4] = parseColour(agreeScale[4]);
    expect(r0).toBeGreaterThan(b0);
    expect(b4).toBeGreaterThan(r4);
    const [r2, g2, b2] = parseColour(agreeScale[2]);
    expect(new Set([r2, g2, b2]).size).toBe(1);
  });

  it('is used for the 5-point scale only', () => {
    expect(barColours('agree5', 5)).toEqual([...agreeScale]);
    expect(barColours('yes_no', 2)).toEqual([barColour, barColour]);
    expect(barColours('choice', 5)).toEqual(Array(5).fill(barColour));
  });
});
