// What every command shares: where its lines go, how it reports, and what its exit codes mean.
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';

/** Receives one line of output, without its line end. */
export type Writer = (line: string) => void;

/** A command: arguments after its name in, lines out, exit code back. */
export type Command = (args: string[], out: Writer, err: Writer) => Promise<number>;

export const EXIT_OK = 0;
/** Some file has problems (or the lecture asked for was not found). */
export const EXIT_PROBLEMS = 1;
/** The command line itself was wrong: unknown command or option, missing argument, missing path. */
export const EXIT_USAGE = 2;

export interface CommandArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/**
 * Reads `args` with Node's own parser: `--name value`, `--name=value` and `--` all work. Returns
 * null after writing the reason to `err` when an option is unknown or lacks its value.
 */
export function readArgs(
  command: string,
  args: string[],
  options: Record<string, { type: 'string' | 'boolean'; short?: string }>,
  err: Writer,
): CommandArgs | null {
  try {
    const { positionals, values } = parseArgs({
      args,
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { positionals, values };
  } catch (error) {
    err(`${command}: ${error instanceof Error ? error.message : String(error)}`);
    err(`Run "npm run -s cli -- help" for usage.`);
    return null;
  }
}

/** The paths that do not exist, each reported to `err`; empty when all are there. */
export async function missingPaths(command: string, paths: string[], err: Writer): Promise<string[]> {
  const missing: string[] = [];
  for (const path of paths) {
    try {
      await stat(path);
    } catch {
      missing.push(path);
      err(`${command}: no such file or folder: ${path}`);
    }
  }
  return missing;
}

/** "1 file", "2 files". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
