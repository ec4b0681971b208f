import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The entry-point tests run the compiled bot (dist/), as npm start does.
    globalSetup: ['test/support/build-dist.ts'],
    // Vitest's default (cores - 1) is one worker on a 2-core machine, yet most end-to-end time is
    // spent waiting on sockets and child processes: two workers at least halve the wall time.
    maxWorkers: Math.max(2, availableParallelism()),
    minWorkers: 1,
    // End-to-end tests start a fake Discord and a bot; give them room on a busy 2-core machine.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
