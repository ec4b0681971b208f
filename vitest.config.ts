import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Tests of stored features that also run on PostgreSQL, as a second project, when TEST_POSTGRES_URL
 * names a server (CI always): the same files, with TEST_STORE_BACKEND=postgres (test/support/test-store.ts).
 */
const STORE_FEATURE_TESTS = [
  'test/study/card-store.test.ts',
  'test/study/study.test.ts',
  'test/stats/recorder.test.ts',
  'test/e2e/quiz.test.ts',
  'test/e2e/list.test.ts',
  'test/e2e/restart.test.ts',
  'test/e2e/study.test.ts',
  'test/e2e/review-night.test.ts',
  'test/e2e/events.test.ts',
  'test/e2e/events-integrity.test.ts',
  'test/e2e/events-restart.test.ts',
  'test/e2e/library.test.ts',
  'test/e2e/quizstats.test.ts',
];
const postgres = (process.env.TEST_POSTGRES_URL ?? '').trim() !== '';

export default defineConfig({
  test: {
    // Vitest's default (cores - 1) is one worker on a 2-core machine, yet most end-to-end time is
    // spent waiting on sockets and child processes: two workers at least halve the wall time.
    maxWorkers: Math.max(2, availableParallelism()),
    minWorkers: 1,
    // End-to-end tests start a fake Discord and a bot; give them room on a busy 2-core machine.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true as const,
        test: {
          name: 'default',
          include: ['test/**/*.test.ts'],
          sequence: { groupOrder: 0 },
          // One line when the PostgreSQL/Redis suites are skipped; a failure in CI instead. Here
          // only: a project that extends the root would run a root-level setup once more.
          // The entry-point tests run the compiled bot (dist/), as npm start does: built once here.
          globalSetup: ['test/support/servers-setup.ts', 'test/support/build-dist.ts'],
        },
      },
      ...(postgres
        ? [
            {
              extends: true as const,
              test: {
                name: 'on-postgres',
                include: STORE_FEATURE_TESTS,
                // After the default project, not beside it: a 2-core machine is busy enough.
                sequence: { groupOrder: 1 },
                env: { TEST_STORE_BACKEND: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
