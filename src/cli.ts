// The content tools' entry point: `npm run -s cli -- <command>`. Everything else is in src/cli/.
import { runCli } from './cli/main.js';

// `export ... | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const writeTo =
  (stream: NodeJS.WriteStream) =>
  (line: string): void => {
    stream.write(`${line}\n`);
  };

process.exitCode = await runCli(process.argv.slice(2), writeTo(process.stdout), writeTo(process.stderr));
