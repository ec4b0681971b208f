// The fast block path must read exactly the blocks markdown-it reads, or step aside. markdown-it is
// the oracle here: every case is compared with its result, never with blocks written down in the test.
import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readBlocks, readBlocksWithMarkdownIt } from '../../src/content/blocks.js';
import { splitFrontMatter } from '../../src/content/front-matter.js';
import { findMarkdownFiles } from '../../src/content/load.js';
import { normalizeSource } from '../../src/content/normalize.js';
import { readSimpleBlocks } from '../../src/content/simple-blocks.js';
import { seededRandom } from '../support/seeded-random.js';

/** The fast path's blocks for a body starting at file line 5 (0-based 4), or null. */
function fast(body: string): ReturnType<typeof readSimpleBlocks> {
  return readSimpleBlocks(body, body.split('\n'), 4);
}

function expectSameAsMarkdownIt(body: string): void {
  const simple = fast(body);
  if (simple !== null) expect({ blocks: simple, tooDeep: null }).toEqual(readBlocksWithMarkdownIt(body, 4));
}

// Each is read by the fast path; what it reads must be what markdown-it reads.
const READ_BY_THE_FAST_PATH: Record<string, string[]> = {
  'markers at each level': ['# --description--', 'Text.', '## --text--', 'Q?', '### --video-solution--', '1'],
  'a plain level-1 heading ends a section': ['# --questions--', '', '# --explanation', 'x'],
  'other headings stay content': ['## A heading ##', '###### six', '####### seven is text', '#no space', '#', '# #', '## ###', '  ### indented ###  '],
  'setext headings and answers above a break': ['Answer one', '---', 'Answer two', '-', 'Title', '===', '--text--', '---', 'two lines', 'of text', '---'],
  'a setext marker heading': ['--answers--', '-----'],
  'thematic breaks': ['***', '- - -', '_ _ _ _', ' ---', '   ***', 'para', '* * *', 'para', '___'],
  'not thematic breaks': ['**', '--', '*-*', '___x', 'a', '    ***'],
  'fences': ['```js', 'let a = 1;', '', '', '# not a heading', '```', '~~~~', '~~~', '```', '~~~~~', 'x'],
  'a fence closed by a longer one, not a shorter one': ['````', '```', '`````  ', 'after'],
  'a backtick fence with a backtick in its info is text': ['``` a`b', 'text', '```'],
  'an unclosed fence runs to the end': ['Para', '```', 'code', '', '## --text--'],
  'a fence indented up to three spaces, and four': ['   ```', '   code', '   ```', '    ```', '    not a fence'],
  'indented code, with blank lines inside and after': ['    code', '', '      more', '', '', 'text', '    continuation of text'],
  'a paragraph interrupted by each block that may interrupt it': [
    'text',
    '```',
    'x',
    '```',
    'text',
    '# heading',
    'text',
    '<div>',
    '',
    'text',
    '***',
    'text',
    '<span>',
    'still text',
  ],
  'html blocks of every kind': [
    '<!-- an author note -->',
    '',
    '<!--',
    'a longer note',
    '-->',
    '<script>',
    '',
    'let a = 1;',
    '</script>',
    '<pre><code>',
    '# inside pre',
    '</code></pre>',
    '<?php echo 1; ?>',
    '<!DOCTYPE html>',
    '<![CDATA[',
    'x',
    ']]>',
    '<div class="box">',
    '# inside div',
    '',
    '<p>',
    '',
    '<my-tag attr=\'1\' other="2" flag>',
    'text',
    '',
    '</section>',
    '<span>text</span>',
    '<a href="x"',
  ],
  'two comments on a line are shown, one is not': ['<!-- a --> <!-- b -->', '', '<!-- only -->', '', '  <!-- indented -->  '],
  'blank lines of spaces, trailing spaces, no final newline': ['   ', 'text   ', '      ', '## --text--  ', 'end'],
  'bullet lists, with lazy lines and loose items': ['- one', 'lazy line', '- two', '', '  two, second paragraph', '', '* a new list', 'after'],
  'ordered lists, and lists that may or may not interrupt a paragraph': [
    '1. one',
    '2. two',
    '3) a new list',
    '',
    'text',
    '2. does not interrupt it',
    '',
    'text',
    '*',
    '',
    'text',
    '1. interrupts it',
    '- a bullet list after it',
  ],
  'lists ended by other blocks': ['- item', '# heading', '- item', '---', '+ item', '```', 'code', '```', '- item', '     text', '- item', '<!-- note -->'],
};

// Each holds something the fast path leaves to markdown-it.
const LEFT_TO_MARKDOWN_IT: Record<string, string[]> = {
  'an empty list item': ['text', '', '-'],
  'a nested list': ['- one', '  - inner'],
  'a list item holding code': ['- one', '', '      code'],
  'a list item holding a heading': ['1. # heading'],
  'a setext underline in a list item': ['- one', '  ---'],
  'a block quote': ['> quoted', 'lazy'],
  'a tab': ['\tcode'],
  'a NUL character': ['text\u0000'],
  'a possible link reference definition': ['[label]: https://example.com', '', 'See [label].'],
};

describe('readSimpleBlocks', () => {
  for (const [name, lines] of Object.entries(READ_BY_THE_FAST_PATH)) {
    it(`GIVEN ${name} THEN it reads the blocks markdown-it reads`, () => {
      const body = lines.join('\n');
      expect(fast(body)).not.toBeNull();
      expectSameAsMarkdownIt(body);
      expectSameAsMarkdownIt(`${body}\n`);
    });
  }

  for (const [name, lines] of Object.entries(LEFT_TO_MARKDOWN_IT)) {
    it(`GIVEN ${name} THEN it leaves the body to markdown-it`, () => {
      expect(fast(lines.join('\n'))).toBeNull();
    });
  }

  it('GIVEN an empty body THEN it reads no blocks, as markdown-it', () => {
    expectSameAsMarkdownIt('');
    expectSameAsMarkdownIt('\n\n');
  });

  it('GIVEN a list the fast path leaves THEN readBlocks still reads it through markdown-it', () => {
    const body = ['# --description--', '', '- one', '', '  ---', '- two', '', '# --questions--'].join('\n');
    expect(fast(body)).toBeNull();
    expect(readBlocks(body, 0)).toEqual(readBlocksWithMarkdownIt(body, 0));
    expect(readBlocks(body, 0).blocks.filter((block) => block.kind === 'marker')).toHaveLength(2);
  });

  it('GIVEN 4,000 bodies made of random lecture lines THEN every one the fast path reads matches markdown-it', () => {
    const random = seededRandom(13);
    let read = 0;
    for (let n = 0; n < 4_000; n++) {
      const lines = Array.from({ length: 1 + Math.floor(random() * 14) }, () => pick(LINE_POOL, random));
      const body = lines.join('\n');
      const simple = fast(body);
      if (simple === null) continue;
      read++;
      const oracle = readBlocksWithMarkdownIt(body, 4);
      if (!isDeepStrictEqual({ blocks: simple, tooDeep: null }, oracle)) {
        expect({ body, blocks: simple }).toEqual({ body, blocks: oracle.blocks });
      }
    }
    // Most of them: the pool's list and quote lines make the rest step aside.
    expect(read).toBeGreaterThan(2_000);
  });
});

/** Lines that start, continue, close or interrupt every kind of block the fast path reads. */
const LINE_POOL = [
  '', '', '', '   ', 'Plain text.', 'More text with `code` and *emphasis*.', '  indented text', '    four spaces',
  '      six spaces', '# --description--', '## --text--', '## --answers--', '### --feedback--',
  '## --video-solution--', '# --questions--', '# Title', '## Heading ##', '####### seven', '#notheading', '#',
  '---', '-', '-----  ', '===', '=', '***', '* * *', '___', '--', '**', '```', '```js', '````', '``` x`y', '~~~',
  '~~~~ py', '   ```', '    ```', '<!-- note -->', '<!--', '-->', 'text -->', '<div>', '</div>', '<div class="a">',
  '<p>text</p>', '<span>', '<my-tag a="1">', '<pre>', '</pre>', '<script>', '</script>', '<?x', '?>', '<!X>',
  '<![CDATA[', ']]>', '<a href="x"', '<!-- a --> b', '<div>x</div>', '<DIV>', '<textarea>', '</textarea>',
  '   ===', '  ---', '   # --text-- #', '## closed ##   ', '#\u00a0nbsp', '\u00a0', '- item', '1. item', '> quote',
  '2', '10) x', '* star item', '+ plus item', '1) paren', '2. two', '-   ', '   - indented item', '  - nested',
  '  continuation', '     deep continuation', '0. zero', '1234567890. long',
];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

const CORPUS = '../shared/corpus';

describe.runIf(existsSync(CORPUS))('readSimpleBlocks over the real corpus', () => {
  it('GIVEN every file of ../shared/corpus THEN each body the fast path reads gives markdown-it’s blocks, and it reads most of them', async () => {
    const files = await findMarkdownFiles([CORPUS]);
    let read = 0;
    const differing: string[] = [];
    for (const file of files) {
      const source = normalizeSource(readFileSync(file, 'utf8'));
      const split = splitFrontMatter(source);
      const simple = readSimpleBlocks(split.body, split.body.split('\n'), split.bodyStartLine);
      if (simple === null) continue;
      read++;
      const oracle = readBlocksWithMarkdownIt(split.body, split.bodyStartLine);
      if (!isDeepStrictEqual({ blocks: simple, tooDeep: null }, oracle)) differing.push(file);
    }
    expect(differing).toEqual([]);
    expect(read / files.length).toBeGreaterThan(0.8);
  }, 60_000);
});
