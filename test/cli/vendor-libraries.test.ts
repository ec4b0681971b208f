// The compiled tools and bot parse the files their fast paths leave with gray-matter and markdown-it
// bundled into dist/vendor/ (src/content/parser-libraries.ts); from source they come from
// node_modules. Both must read such a file alike.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runExport } from '../../src/cli/export.js';
import { run } from './run.js';

// A list in the front matter and a comment line: only gray-matter reads these. A block quote and a
// nested list in the body: only markdown-it reads these.
const LECTURE = `---
id: vendor-check
title: Quoted and nested
tags:
  - yaml
  - lists
# a comment line
challengeType: 11
---

# --description--

> A quote the fast block reader leaves to markdown-it,
> over two lines.

- an item
  - a nested item

# --questions--

## --text--

Which reader handles a block quote?

## --answers--

The fast path

### --feedback--

> It steps aside on a quote.

---

markdown-it

## --video-solution--

2
`;

const folder = mkdtempSync(join(tmpdir(), 'quizbot-vendor-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the parser libraries bundled into dist/vendor/', () => {
  it('GIVEN a lecture only gray-matter and markdown-it read THEN dist/cli.js exports it as the source does', async () => {
    expect(existsSync('dist/vendor/gray-matter.cjs')).toBe(true);
    expect(existsSync('dist/vendor/markdown-it.cjs')).toBe(true);
    const file = join(folder, 'quoted.md');
    writeFileSync(file, LECTURE);

    const compiled = await promisify(execFile)(process.execPath, ['dist/cli.js', 'export', file]);
    const fromSource = await run(runExport, [file]);

    const exported: unknown = JSON.parse(compiled.stdout);
    expect(exported).toEqual(JSON.parse(fromSource.out.join('\n')));
    expect(exported).toMatchObject({
      id: 'vendor-check',
      challengeType: 11,
      errors: [],
      questions: [
        {
          text: 'Which reader handles a block quote?',
          answers: [
            { text: 'The fast path', feedback: '> It steps aside on a quote.' },
            { text: 'markdown-it' },
          ],
          correctIndex: 1,
        },
      ],
    });
    expect(JSON.stringify(exported)).toContain('> A quote the fast block reader leaves to markdown-it');
  });
});
