// Deeply nested lists and quotes: valid CommonMark must be read in full, and a depth too great to
// read must be named with its line, never crash the loader or pass as "no questions".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_NESTING_LEVELS } from '../../src/content/blocks.js';
import { loadContent } from '../../src/content/load.js';
import { parseLecture } from '../../src/content/parse.js';
import { formatProblem } from '../../src/content/types.js';

const FRONT = ['---', 'id: 0123456789abcdef01234567', 'title: Nested Lists', '---', ''];

/** `depth` bullet lists, each inside the previous one's item, one line per level. */
function nestedList(depth: number): string[] {
  return Array.from({ length: depth }, (_, level) => `${'  '.repeat(level)}- level ${level + 1}`);
}

function question(text: string, answers: string[][], solution: number): string[] {
  const blocks = answers.flatMap((answer, index) => [...(index > 0 ? ['', '---', ''] : []), ...answer]);
  return ['## --text--', '', text, '', '## --answers--', '', ...blocks, '', '## --video-solution--', '', String(solution), ''];
}

/** A lecture whose description, first answer and second question all hold `depth`-level lists. */
function lectureWithNesting(depth: number): string {
  return [
    ...FRONT,
    '# --description--',
    '',
    ...nestedList(depth),
    '',
    '# --questions--',
    '',
    ...question('Which list is deepest?', [nestedList(depth), ['A flat one']], 1),
    ...question('What comes after the deep list?', [['This question'], ['Nothing']], 1),
    ...question('And the last one?', [['Still read'], ['Dropped']], 1),
  ].join('\n');
}

/** A valid lecture with `prefix` (some pathological markdown) as its description. */
function lectureWithDescription(prefix: string): string {
  return [
    ...FRONT,
    '# --description--',
    '',
    prefix,
    '',
    '# --questions--',
    '',
    ...question('Is this read?', [['Yes'], ['No']], 1),
  ].join('\n');
}

const DESCRIPTION_LINE = FRONT.length + 3;

describe('parseLecture: nested lists at depths CommonMark allows', () => {
  for (const depth of [10, 50]) {
    it(`GIVEN a ${depth}-level nested list in the description and in an answer THEN every question is read`, () => {
      const result = parseLecture(lectureWithNesting(depth), 'deep.md');
      expect(result.problems.map(formatProblem)).toEqual([]);
      const lecture = result.lecture;
      expect(lecture?.questions.map((q) => q.text)).toEqual([
        'Which list is deepest?',
        'What comes after the deep list?',
        'And the last one?',
      ]);
      expect(lecture?.fullText).toBe(nestedList(depth).join('\n'));
      expect(lecture?.questions[0]?.answers.map((answer) => answer.text)).toEqual([
        nestedList(depth).join('\n'),
        'A flat one',
      ]);
    });
  }

  it('GIVEN lists as deep as the limit allows THEN the lecture is read', () => {
    const result = parseLecture(lectureWithDescription(nestedList(MAX_NESTING_LEVELS / 2).join('\n')), 'deep.md');
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.lecture?.questions).toHaveLength(1);
  });

  it('GIVEN quotes, or quotes and lists inside each other, as deep as the limit allows THEN the lecture is read in full', () => {
    // Each `> - ` is a quote (one level) holding a list item (two levels: the list and its item).
    const deepest = ['>'.repeat(MAX_NESTING_LEVELS) + ' x', '> - '.repeat(Math.floor(MAX_NESTING_LEVELS / 3)) + 'deep'];
    for (const markdown of deepest) {
      const result = parseLecture(lectureWithDescription(markdown), 'deep.md');
      expect(result.problems.map(formatProblem)).toEqual([]);
      expect(result.lecture?.fullText).toBe(markdown);
      expect(result.lecture?.questions).toHaveLength(1);
    }
  });
});

describe('parseLecture: nesting too deep to read', () => {
  const tooDeep = `lists and quotes nested more than ${MAX_NESTING_LEVELS} levels deep (a list counts 2, a quote 1): too deep to read`;

  const cases: [string, string][] = [
    ['100,000 > characters on one line', '>'.repeat(100_000) + ' x'],
    ['2,000 nested lists written on one line', '- '.repeat(2_000) + 'x'],
    ['1,000 quotes holding a list each', '> 1. '.repeat(1_000) + 'x'],
  ];
  for (const [name, markdown] of cases) {
    it(`GIVEN ${name} THEN the file is rejected with the line and the reason, not "no questions"`, () => {
      const result = parseLecture(lectureWithDescription(markdown), 'deep.md');
      expect(result.lecture).toBeNull();
      expect(result.problems.map(formatProblem)).toEqual([`deep.md:${DESCRIPTION_LINE}: ${tooDeep}`]);
    });
  }

  it('GIVEN a nested list one level past the limit THEN the line named is the first one too deep', () => {
    const lines = nestedList(MAX_NESTING_LEVELS / 2 + 1);
    const result = parseLecture(lectureWithDescription(lines.join('\n')), 'deep.md');
    // The 501st list's item would hold level 1002: its line is where reading stops.
    expect(result.problems.map(formatProblem)).toEqual([`deep.md:${DESCRIPTION_LINE + MAX_NESTING_LEVELS / 2}: ${tooDeep}`]);
  });

  describe('next to other files', () => {
    let folder = '';
    afterEach(() => rmSync(folder, { recursive: true, force: true }));

    it('GIVEN a too-deep file in a folder THEN the other lectures still load', async () => {
      folder = mkdtempSync(join(tmpdir(), 'nesting-'));
      writeFileSync(join(folder, 'a-deep.md'), lectureWithDescription('>'.repeat(100_000)));
      writeFileSync(join(folder, 'b-fine.md'), lectureWithNesting(10).replace('0123456789abcdef01234567', 'fine'));
      const loaded = await loadContent([folder]);
      expect(loaded.lectures.map((lecture) => lecture.id)).toEqual(['fine']);
      expect(loaded.problems.map(formatProblem)).toEqual([`${join(folder, 'a-deep.md')}:${DESCRIPTION_LINE}: ${tooDeep}`]);
    });
  });
});

describe('validate on a small stack', () => {
  let folder = '';
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('GIVEN too little stack for the usual limit THEN validate still names the line instead of crashing', () => {
    folder = mkdtempSync(join(tmpdir(), 'nesting-stack-'));
    const path = join(folder, 'deep.md');
    writeFileSync(path, lectureWithDescription('>'.repeat(MAX_NESTING_LEVELS) + ' x'));
    const loader = fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url));
    // A 200 KB stack is far less than the usual ~1 MB: reading 1,000 levels would overflow it.
    const child = spawnSync(process.execPath, ['--stack-size=200', '--import', loader, 'src/cli.ts', 'validate', path], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.split('\n')[0]).toMatch(
      new RegExp(`^${path}:${DESCRIPTION_LINE}: lists and quotes nested more than \\d+ levels deep .*too deep to read`),
    );
    expect(child.status).toBe(1);
  });
});
