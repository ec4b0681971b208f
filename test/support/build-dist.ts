// Vitest global setup: builds dist/ with the project's own build script, once per test run, so that
// the tests that spawn the entry points run the compiled JavaScript `npm start` runs.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync('npm', ['run', '-s', 'build'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: 'inherit',
  });
}
