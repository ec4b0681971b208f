// The fast front-matter path must read exactly what gray-matter (js-yaml) reads, or step aside.
// gray-matter is the oracle here: every case is compared with its result, never with a value
// written down in the test.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../src/content/front-matter.js';
import { findMarkdownFiles } from '../../src/content/load.js';
import { normalizeSource } from '../../src/content/normalize.js';
import { readSimpleFrontMatter } from '../../src/content/simple-yaml.js';

const require = createRequire(import.meta.url);
const matter = require('gray-matter') as (input: string, options: object) => { data: unknown };

/** What gray-matter reads from these lines, or the error it throws. */
function oracle(lines: string[]): { data: unknown } | { error: string } {
  try {
    return { data: matter(`---\n${lines.join('\n')}\n---\n`, {}).data };
  } catch (error) {
    return { error: String(error) };
  }
}

const TRICKY_VALUES = [
  'plain words',
  'Words, with a comma?',
  "Don't stop",
  'a [bracket] and {brace}',
  '672d266cc6e0b27da5e0a82c',
  '6e0b27',
  '1e3',
  '1e3x',
  '0x1F',
  '0b101',
  '0o17',
  '0123',
  '0',
  '42',
  '123456789012345',
  '1234567890123456789',
  '1_000',
  '12:30',
  '2024-01-01',
  '2024-01-01 10:00:00',
  '2024 was a year',
  '3 tT',
  'true',
  'True',
  'yes',
  'null',
  'NULL',
  'Nothing',
  '~',
  '.inf',
  '-5',
  '+5',
  "'single ''quoted'''",
  "'unclosed",
  '"double quoted"',
  '"with \\" escape"',
  '"a" trailing',
  'C#',
  'a # comment',
  'key: inside',
  'trailing spaces   ',
  '',
  '   ',
  '*alias',
  '&anchor value',
  '!!str 5',
  '| literal',
  '> folded',
  '- item',
  '@at',
  '`tick',
  '%percent',
  'émoji 🎉',
  'Ünïcode',
  'tab\tinside',
  '_sSo2XZoB3E',
  '_',
  '_1_000',
  '_1e3',
  '_true',
];

describe('readSimpleFrontMatter', () => {
  for (const value of TRICKY_VALUES) {
    it(`GIVEN title: ${JSON.stringify(value)} THEN it reads what gray-matter reads, or leaves it to gray-matter`, () => {
      const lines = ['id: abc', `title: ${value}`, 'challengeType: 19'];
      const fast = readSimpleFrontMatter(lines);
      if (fast === null) return;
      expect(oracle(lines)).toEqual({ data: fast });
    });
  }

  const shapes: [string, string[]][] = [
    ['a repeated key', ['id: a', 'id: b']],
    ['a nested map', ['id: a', 'ids:', '  aid: 1']],
    ['a list', ['id: a', 'tags:', '- x']],
    ['a comment line', ['# note', 'id: a']],
    ['a blank line between fields', ['id: a', '', 'title: b']],
    ['an empty value', ['id: a', 'title:']],
    ['a key in quotes', ['"id": a']],
    ['a line of spaces', ['id: a', '  ']],
    ['only blank lines', ['', '']],
    ['a document end marker', ['id: a', '...']],
    ['a tab after the colon', ['id:\ta']],
    ['a nested map, then a field', ['id: a', 'ids:', '  aid: 590571151', '  bvid: BV1sq4y1f7gr', 'title: b']],
    ['a nested map at the end', ['id: a', 'ids:', '    aid: 1', '    cid: x']],
    ['a nested map after spaces on its key line', ['id: a', 'ids:   ', '  aid: 1']],
    ['a nested map indented unevenly', ['id: a', 'ids:', '  aid: 1', '   bvid: x']],
    ['a nested map going deeper', ['id: a', 'ids:', '  aid:', '    x: 1']],
    ['a nested map with an empty value', ['id: a', 'ids:', '  aid:', 'title: b']],
    ['a nested map with a key twice', ['id: a', 'ids:', '  aid: 1', '  aid: 2']],
    ['a nested map going on after a blank line', ['id: a', 'ids:', '  aid: 1', '', '  cid: 2']],
    ['a nested map, a blank line, a field', ['id: a', 'ids:', '  aid: 1', '', 'title: b']],
    ['a nested map holding a list', ['id: a', 'ids:', '  - 1']],
    ['a nested map with a comment', ['id: a', 'ids:', '  # note', '  aid: 1']],
    ['a nested map with a tricky value', ['id: a', 'ids:', '  aid: 0x1F', '  bvid: yes']],
    ['a nested map with a tab indent', ['id: a', 'ids:', '\taid: 1']],
    ['a value going on on an indented line', ['id: a', 'title: one', '  two']],
    ['a nested map of one entry twice over', ['id: a', 'ids:', '  aid: 1', 'more:', '  aid: 2']],
  ];
  for (const [name, lines] of shapes) {
    it(`GIVEN ${name} THEN it reads what gray-matter reads, or leaves it to gray-matter`, () => {
      const fast = readSimpleFrontMatter(lines);
      if (fast === null) return;
      expect(oracle(lines)).toEqual({ data: fast });
    });
  }

  it('GIVEN a video lecture with bilibiliIds THEN the fast path reads the nested map as gray-matter does', () => {
    const lines = ['id: 5e9a093a74c4063ca6f7c14d', 'title: Data Analysis', 'challengeType: 11', 'videoId: _sSo2XZoB3E', 'bilibiliIds:', '  aid: 590571151', '  bvid: BV1sq4y1f7gr', '  cid: 409002372', 'dashedName: data-analysis'];
    expect(readSimpleFrontMatter(lines)).not.toBeNull();
    expect(oracle(lines)).toEqual({ data: readSimpleFrontMatter(lines) });
  });

  it('GIVEN the usual lecture fields THEN the fast path reads them (it is not always stepping aside)', () => {
    const lines = ['id: 672d266cc6e0b27da5e0a82c', 'title: What Is a Variable?', 'challengeType: 19', 'dashedName: what-is-a-variable'];
    expect(readSimpleFrontMatter(lines)).not.toBeNull();
    expect(oracle(lines)).toEqual({ data: readSimpleFrontMatter(lines) });
  });
});

const CORPUS = '../shared/corpus';

describe.runIf(existsSync(CORPUS))('readSimpleFrontMatter over the real corpus', () => {
  it('GIVEN every file of ../shared/corpus THEN each front matter the fast path reads equals gray-matter’s, and it reads most of them', async () => {
    const files = await findMarkdownFiles([CORPUS]);
    let read = 0;
    const differing: string[] = [];
    for (const file of files) {
      const split = splitFrontMatter(normalizeSource(readFileSync(file, 'utf8')));
      const fast = readSimpleFrontMatter(split.yamlLines);
      if (fast === null) continue;
      read += 1;
      const expected = oracle(split.yamlLines);
      if (!('data' in expected) || !isDeepStrictEqual(expected.data, fast)) differing.push(file);
    }
    expect(differing).toEqual([]);
    expect(read).toBeGreaterThan(files.length * 0.97);
  });
});
