import { describe, expect, it } from 'vitest';
import { fitText } from '../../src/discord/limits.js';
import { TRICKY, expectClusterPrefix } from '../support/graphemes.js';

describe('fitText never splits a character', () => {
  for (const [name, character] of Object.entries(TRICKY)) {
    it(`GIVEN ${name} ${character} at every position of the cut THEN the head keeps it whole or drops it`, () => {
      const limit = 60;
      // fitText keeps room for "…" and a closing fence: the head is at most limit - 5 long.
      for (let inside = 0; inside <= character.length; inside++) {
        const text = `${'x'.repeat(limit - 5 - inside)}${character}${'y'.repeat(100)}`;
        const fitted = fitText(text, limit);
        expect(fitted.length).toBeLessThanOrEqual(limit);
        expect(fitted.endsWith('…')).toBe(true);
        expectClusterPrefix(text, fitted.slice(0, -1));
      }
    });
  }

  it('GIVEN an embed description of nothing but flags THEN it holds only whole flags', () => {
    const text = `x${TRICKY.flag.repeat(1100)}`;
    const fitted = fitText(text, 4096);
    expect(fitted).toBe(`x${TRICKY.flag.repeat(1022)}…`);
  });

  it('GIVEN a code block open at the cut THEN it is still closed after a whole emoji', () => {
    const fitted = fitText(`Intro\n\`\`\`\n${TRICKY.emoji.repeat(100)}\n\`\`\``, 100);
    expect(fitted.length).toBeLessThanOrEqual(100);
    expect(fitted.endsWith('…\n```')).toBe(true);
    expectClusterPrefix(`Intro\n\`\`\`\n${TRICKY.emoji.repeat(100)}`, fitted.slice(0, -'…\n```'.length));
  });
});
