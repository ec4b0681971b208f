// Routes `npm run -s cli -- <command> ...` to one command function.
import { runExport } from './export.js';
import type { Command, Writer } from './io.js';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './io.js';
import { runPreview } from './preview.js';
import { writeUsage } from './usage.js';
import { runValidate } from './validate.js';

export const COMMANDS: Readonly<Record<string, Command>> = {
  validate: runValidate,
  preview: runPreview,
  export: runExport,
};

/** Runs one command line (without `node` and the script) and returns its exit code. */
export async function runCli(argv: string[], out: Writer, err: Writer): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    writeUsage(out);
    return EXIT_OK;
  }
  if (name === undefined) {
    writeUsage(err);
    return EXIT_USAGE;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    err(`Unknown command: ${name}`);
    err('');
    writeUsage(err);
    return EXIT_USAGE;
  }
  try {
    return await command(args, out, err);
  } catch (error) {
    err(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT_PROBLEMS;
  }
}
