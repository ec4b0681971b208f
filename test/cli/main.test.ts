import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { BROKEN, FIXTURES } from './run.js';

async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    (line) => out.push(line),
    (line) => err.push(line),
  );
  return { code, out, err };
}

describe('runCli', () => {
  it.each([['help'], ['--help'], ['-h']])(
    'GIVEN %s THEN it prints the usage on stdout and exits 0',
    async (name) => {
      const { code, out, err } = await cli([name]);
      expect(out[0]).toBe('Study Quiz Bot content tools');
      expect(out.join('\n')).toContain('validate [paths...]');
      expect(out.join('\n')).toContain('preview <file | id> [--content DIR]');
      expect(out.join('\n')).toContain('export [paths...]');
      expect(err).toEqual([]);
      expect(code).toBe(0);
    },
  );

  it('GIVEN no command THEN it prints the usage on stderr and exits 2', async () => {
    const { code, out, err } = await cli([]);
    expect(out).toEqual([]);
    expect(err[0]).toBe('Study Quiz Bot content tools');
    expect(code).toBe(2);
  });

  it('GIVEN an unknown command THEN it names it, prints the usage on stderr and exits 2', async () => {
    const { code, out, err } = await cli(['lint']);
    expect(out).toEqual([]);
    expect(err[0]).toBe('Unknown command: lint');
    expect(err).toContain('Study Quiz Bot content tools');
    expect(code).toBe(2);
  });

  it('GIVEN a name from Object.prototype THEN it is an unknown command, not a crash', async () => {
    const { code, err } = await cli(['toString']);
    expect(err[0]).toBe('Unknown command: toString');
    expect(code).toBe(2);
  });

  it('passes the arguments after the command name on', async () => {
    const { code, out } = await cli(['validate', `${BROKEN}/twin-a.md`]);
    expect(out).toEqual(['Checked 1 file: 1 valid, 0 with problems (0 problems).']);
    expect(code).toBe(0);
  });
});

describe('dist/cli.js', () => {
  it('GIVEN the compiled entry point npm run validate runs THEN stdout has the problems and summary, and the exit code is 1', async () => {
    const result = await promisify(execFile)(process.execPath, ['dist/cli.js', 'validate', FIXTURES]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(`${BROKEN}/broken-lecture.md:1: front matter needs a title`);
    expect(lines.at(-1)).toBe('Checked 5 files: 3 valid, 2 with problems (4 problems).');
    expect(result.code).toBe(1);
  });
});
