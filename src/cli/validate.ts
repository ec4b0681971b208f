// `validate [paths...]`: every problem as `path:line: message`, then one summary line.
import { findMarkdownFiles, parseFiles } from '../content/load.js';
import { formatProblem } from '../content/types.js';
import type { Writer } from './io.js';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, count, missingPaths, readArgs } from './io.js';
import { writeUsage } from './usage.js';

export const DEFAULT_CONTENT_DIR = 'content';

/** Problems and the summary go to `out`; only command-line mistakes go to `err`. */
export async function runValidate(args: string[], out: Writer, err: Writer): Promise<number> {
  const parsed = readArgs('validate', args, {}, err);
  if (!parsed) return EXIT_USAGE;
  if (parsed.values.help) {
    writeUsage(out);
    return EXIT_OK;
  }
  const paths = parsed.positionals.length > 0 ? parsed.positionals : [DEFAULT_CONTENT_DIR];
  if ((await missingPaths('validate', paths, err)).length > 0) return EXIT_USAGE;

  const files = await findMarkdownFiles(paths);
  const results = parseFiles(files);
  let problemCount = 0;
  let invalidCount = 0;
  for (const result of results) {
    if (result.problems.length === 0) continue;
    invalidCount++;
    problemCount += result.problems.length;
    for (const problem of result.problems) out(formatProblem(problem));
  }
  out(
    `Checked ${count(files.length, 'file')}: ${files.length - invalidCount} valid, ` +
      `${invalidCount} with problems (${count(problemCount, 'problem')}).`,
  );
  if (files.length === 0) {
    err(`validate: no .md files found under ${paths.join(', ')}`);
    return EXIT_PROBLEMS;
  }
  return invalidCount === 0 ? EXIT_OK : EXIT_PROBLEMS;
}
