import { describe, expect, it } from 'vitest';
import { codePointBoundaryAtOrBefore, cutToLength, graphemeBoundaryAtOrBefore } from '../../src/content/text-cut.js';
import { LONE_SURROGATE, TRICKY, expectClusterPrefix } from '../support/graphemes.js';

describe('cutToLength', () => {
  for (const [name, character] of Object.entries(TRICKY)) {
    it(`GIVEN ${name} ${character} at every position of the cut THEN it is kept whole or left out whole`, () => {
      const limit = 20;
      for (let inside = 0; inside <= character.length; inside++) {
        const before = 'x'.repeat(limit - inside);
        const text = `${before}${character}tail`;
        const cut = cutToLength(text, limit);
        expect(cut).toBe(inside === character.length ? `${before}${character}` : before);
        expect(cut.length).toBeLessThanOrEqual(limit);
        expect(cut).not.toMatch(LONE_SURROGATE);
      }
    });
  }

  it('GIVEN text of nothing but emoji THEN the cut keeps as many whole ones as fit', () => {
    for (const character of Object.values(TRICKY)) {
      const text = character.repeat(50);
      for (const limit of [1, 7, 33, 99]) {
        const cut = cutToLength(text, limit);
        expect(cut.length).toBeLessThanOrEqual(limit);
        expect(cut).toBe(character.repeat(Math.floor(limit / character.length)));
        expectClusterPrefix(text, cut);
      }
    }
  });

  it('GIVEN text that fits THEN it is returned as it is', () => {
    expect(cutToLength(`ok ${TRICKY.family}`, 14)).toBe(`ok ${TRICKY.family}`);
    expect(cutToLength('', 0)).toBe('');
  });

  it('GIVEN a first cluster longer than the limit (a letter under many accents) THEN nothing of it is kept', () => {
    expect(cutToLength(`a${'\u0301'.repeat(30)}b`, 10)).toBe('');
    expect(cutToLength(`${TRICKY.family}${TRICKY.family}`, 12)).toBe(TRICKY.family);
  });
});

describe('graphemeBoundaryAtOrBefore', () => {
  it('moves an index inside a cluster back to where the cluster starts', () => {
    const text = `ab${TRICKY.flag}cd`;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((index) => graphemeBoundaryAtOrBefore(text, index))).toEqual([
      0, 1, 2, 2, 2, 2, 6, 7, 8,
    ]);
  });
});

describe('graphemeBoundaryAtOrBefore against segmenting the whole text', () => {
  it('GIVEN 2,000 random texts of emoji, flags, accents, Hangul and line ends THEN every index gives the same boundary', () => {
    const pieces = ['a', ' ', '\n', '\r', '\r\n', TRICKY.flag, TRICKY.emoji, 'e\u0301', '\u0301', '\u200d', '👩‍💻', '\u1100\u1161', '\u11a8', '👍🏽'];
    const whole = new Intl.Segmenter('en', { granularity: 'grapheme' });
    let seed = 7;
    const random = (below: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % below;
    };
    for (let round = 0; round < 2000; round++) {
      const text = Array.from({ length: 1 + random(10) }, () => pieces[random(pieces.length)] ?? '').join('');
      for (let index = 0; index <= text.length; index++) {
        const expected = index >= text.length ? text.length : (whole.segment(text).containing(index)?.index ?? index);
        expect(graphemeBoundaryAtOrBefore(text, index), JSON.stringify([text, index])).toBe(expected);
      }
    }
  });
});

describe('codePointBoundaryAtOrBefore', () => {
  it('moves an index between the halves of a surrogate pair back one, and leaves others alone', () => {
    const text = `a${TRICKY.emoji}e\u0301`;
    expect([0, 1, 2, 3, 4, 5].map((index) => codePointBoundaryAtOrBefore(text, index))).toEqual([0, 1, 1, 3, 4, 5]);
  });
});
