import { describe, expect, it } from 'vitest';
import { chooseLectureText, fitToLimit, splitIntoPages } from '../../src/content/summary.js';
import { LONE_SURROGATE, TRICKY, expectClusterPrefix, expectWholeCharacters } from '../support/graphemes.js';
import { seededRandom } from '../support/seeded-random.js';

describe('chooseLectureText', () => {
  it.each([
    ['Watch the video or read the transcript and answer the questions below.', 'The lecture.', 'The lecture.'],
    ["The video isn't available yet. Here is a transcript of the lecture for now:", 'The lecture.', 'The lecture.'],
    ['', 'The lecture.', 'The lecture.'],
    ['A real description of loops.', 'The lecture.', 'A real description of loops.'],
    ['Watch the lecture video and answer the questions below.', '', 'Watch the lecture video and answer the questions below.'],
  ])('description %j with transcript %j gives %j', (description, transcript, expected) => {
    expect(chooseLectureText(description, transcript)).toBe(expected);
  });
});

describe('fitToLimit', () => {
  it('leaves text that fits alone', () => {
    expect(fitToLimit('Short. Text.', 20)).toBe('Short. Text.');
  });

  it('cuts at the last sentence end that fits and marks the cut', () => {
    expect(fitToLimit('One two three. Four five six. Seven eight nine.', 35)).toBe('One two three. Four five six. …');
  });

  it('never cuts inside a code fence', () => {
    const text = `Intro sentence here.\n\n\`\`\`js\n${'x = 1; y = 2. '.repeat(20)}\n\`\`\``;
    const fitted = fitToLimit(text, 120);
    expect(fitted).toBe('Intro sentence here. …');
  });
});

describe('splitIntoPages', () => {
  it('pages long text at sentence ends, losing nothing', () => {
    const text = 'Loops repeat work until a condition changes. '.repeat(200).trim();
    const pages = splitIntoPages(text, 500);
    expect(pages.every((page) => page.length <= 500)).toBe(true);
    expect(pages.every((page) => page.endsWith('.'))).toBe(true);
    expect(pages.join(' ')).toBe(text);
  });

  it('gives one page for short text', () => {
    expect(splitIntoPages('Just this.', 500)).toEqual(['Just this.']);
  });
});

describe('cutting emoji-heavy text', () => {
  it('GIVEN a summary with no sentence end or space THEN the cut keeps whole emoji', () => {
    const text = `a${TRICKY.emoji.repeat(3000)}`;
    const fitted = fitToLimit(text);
    expect(fitted).toBe(`a${TRICKY.emoji.repeat(2046)} …`);
  });

  it('GIVEN ZWJ families with nowhere better to cut THEN no family is split', () => {
    const text = `a${TRICKY.family.repeat(20)}`;
    const fitted = fitToLimit(text, 100);
    expect(fitted).toBe(`a${TRICKY.family.repeat(8)} …`);
    expectClusterPrefix(text, fitted.slice(0, -' …'.length));
  });

  it('GIVEN pages of flags and skin tones THEN every page holds whole characters and together they are the text', () => {
    for (const character of [TRICKY.flag, TRICKY.skinTone, TRICKY.family, TRICKY.accent]) {
      const text = `a${character.repeat(3000)}`;
      const pages = splitIntoPages(text, 4096);
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.join('')).toBe(text);
      for (const page of pages) {
        expect(page.length).toBeLessThanOrEqual(4096);
        expectWholeCharacters(page, [text]);
      }
    }
  });

  it('GIVEN one cluster longer than a page THEN paging still ends, cutting only between code points', () => {
    const text = `${TRICKY.emoji}${'\u{E0100}'.repeat(3000)}`;
    const pages = splitIntoPages(text, 4096);
    expect(pages.join('')).toBe(text);
    for (const page of pages) {
      expect(page.length).toBeLessThanOrEqual(4096);
      expect(page).not.toMatch(LONE_SURROGATE);
    }
  });
});

describe('cuts beside code fences, against a reference that looks for fences again at every index', () => {
  // The reference: the code fence open at `index` found by scanning the text before it, as the cut
  // did before it found the fence lines once.
  function openFenceBefore(text: string, index: number): number {
    let open = -1;
    for (const match of text.slice(0, index).matchAll(/^ {0,3}(```|~~~)/gm)) open = open === -1 ? match.index : -1;
    return open;
  }
  function referenceCut(text: string, room: number): number {
    const head = text.slice(0, room + 1);
    const candidates = [...head.matchAll(/\n\n|[.!?]["')\]]?(?=\s)/g)]
      .map((match) => match.index + (match[0] === '\n\n' ? 0 : match[0].length))
      .filter((index) => index <= room && openFenceBefore(text, index) === -1);
    const best = candidates.at(-1);
    if (best !== undefined && best >= room / 2) return best;
    const space = head.lastIndexOf(' ', room);
    if (space >= room / 2 && openFenceBefore(text, space) === -1) return space;
    const fenceStart = openFenceBefore(text, room);
    const cut = fenceStart > 0 ? fenceStart : room;
    // ASCII only here: every index is a character boundary, and only a cut at 0 moves on to `room`.
    return cut > 0 ? cut : room;
  }

  // Fence lines indented 0 to 4 spaces (4 is code, not a fence), cut short, or closing with tildes.
  const PIECES = ['Some words', ' and more.', ' Why?', ' "Quoted."', '\n', '\n\n', '```', '```js', '  ```', '   ~~~',
    '    ```', '``', '~~~', 'x = 1;', ' ', 'Done!', ' (see below.)'];

  it('GIVEN 3,000 made-up texts of sentences and fences THEN every cut and page is where the reference puts it', () => {
    const random = seededRandom(29);
    for (let round = 0; round < 3_000; round++) {
      const text = Array.from({ length: 5 + Math.floor(random() * 60) }, () => PIECES[Math.floor(random() * PIECES.length)]).join('');
      const limit = 12 + Math.floor(random() * 80);
      if (text.length <= limit) continue;
      const room = limit - 2; // fitToLimit keeps room for ' …'
      expect(fitToLimit(text, limit), JSON.stringify({ text, limit })).toBe(`${text.slice(0, referenceCut(text, room)).trimEnd()} …`);
      const pages: string[] = [];
      let rest = text.trim();
      while (rest.length > limit) {
        const cut = referenceCut(rest, limit);
        pages.push(rest.slice(0, cut).trimEnd());
        rest = rest.slice(cut).trimStart();
      }
      if (rest !== '' || pages.length === 0) pages.push(rest);
      expect(splitIntoPages(text, limit), JSON.stringify({ text, limit })).toEqual(pages);
    }
  });
});
