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

describe('codePointBoundaryAtOrBefore', () => {
  it('moves an index between the halves of a surrogate pair back one, and leaves others alone', () => {
    const text = `a${TRICKY.emoji}e\u0301`;
    expect([0, 1, 2, 3, 4, 5].map((index) => codePointBoundaryAtOrBefore(text, index))).toEqual([0, 1, 1, 3, 4, 5]);
  });
});
