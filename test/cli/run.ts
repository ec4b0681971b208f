// Runs a command function and keeps what it wrote, for assertions.
import type { Command } from '../../src/cli/io.js';

export interface Ran {
  code: number;
  out: string[];
  err: string[];
}

export async function run(command: Command, args: string[]): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(
    args,
    (line) => out.push(line),
    (line) => err.push(line),
  );
  return { code, out, err };
}

export const FIXTURES = 'test/fixtures/cli';
export const GOOD = `${FIXTURES}/good`;
export const BROKEN = `${FIXTURES}/broken`;
