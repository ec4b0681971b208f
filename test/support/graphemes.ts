// Checks that cut text still shows whole characters: no lone surrogate, and no part of an emoji,
// a flag, a skin-toned hand or an accented letter.
import { expect } from 'vitest';

export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Characters that take several UTF-16 units, each a single grapheme cluster. */
export const TRICKY = {
  emoji: '😀',
  family: '👩‍👩‍👧‍👦',
  flag: '🇩🇪',
  skinTone: '👍🏽',
  accent: 'e\u0301',
};

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function clusters(text: string): string[] {
  return Array.from(graphemes.segment(text), (part) => part.segment);
}

/** `cut` is the first whole clusters of `original`, and nothing else. */
export function expectClusterPrefix(original: string, cut: string): void {
  expect(cut).not.toMatch(LONE_SURROGATE);
  const parts = clusters(cut);
  expect(parts).toEqual(clusters(original).slice(0, parts.length));
}

/**
 * Every character `shown` is whole: a cluster of one of the `sources`, or a plain one-unit character
 * (the bot's own punctuation such as "…" or "·").
 */
export function expectWholeCharacters(shown: string, sources: readonly string[]): void {
  expect(shown).not.toMatch(LONE_SURROGATE);
  const known = new Set(sources.flatMap(clusters));
  const plain = (part: string): boolean => part.length === 1 && !/[\p{M}\uD800-\uDFFF]/u.test(part);
  const broken = clusters(shown).filter((part) => !known.has(part) && !plain(part));
  expect(broken).toEqual([]);
}
