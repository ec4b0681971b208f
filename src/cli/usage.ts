// The help text, shared by `help`, a missing command and an unknown one.
import type { Writer } from './io.js';

const USAGE = `Study Quiz Bot content tools

Usage: npm run -s cli -- <command> [arguments]

Commands:
  validate [paths...]
      Check every .md file under the given files or folders (default: content).
      Prints one "path:line: message" line per problem, then a summary line, all on stdout.
      Exit 0 when every file is valid, 1 otherwise.

  preview <file | id> [--content DIR]
      Show in the terminal what the bot will post for one lecture: title, summary, each
      question with lettered answers, the button labels, the correct answer and feedback.
      An id (or dashedName) is looked up among the lectures in DIR (default: content).
      Exit 0 when shown, 1 when the file has problems or the id is not found.

  export [paths...]
      JSON Lines on stdout: one object per .md file, valid or not, with the keys
      path, id, title, challengeType, summary, questions, quizzes, errors.
      Exit 0 when every file is valid, 1 otherwise (the output is complete either way).

  help
      This text.

Exit codes: 0 success, 1 problems found, 2 wrong command line (messages on stderr).
Shortcuts: npm run -s validate -- <paths>, npm run -s preview -- <file | id>.`;

export function writeUsage(write: Writer): void {
  for (const line of USAGE.split('\n')) write(line);
}
