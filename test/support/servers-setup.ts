// Vitest global setup: says once per run which server suites are skipped, and fails the run in CI
// (CI=true) when a server the suites need was not provided.
import { TEST_POSTGRES_URL, TEST_REDIS_URL } from './servers.js';

export default function setup(): void {
  const missing = [
    ...(TEST_POSTGRES_URL === undefined ? ['TEST_POSTGRES_URL'] : []),
    ...(TEST_REDIS_URL === undefined ? ['TEST_REDIS_URL'] : []),
  ];
  if (missing.length === 0) return;
  if (process.env.CI === 'true') {
    throw new Error(
      `CI needs real servers for the store suites: set ${missing.join(' and ')} (.ci/run starts them)`,
    );
  }
  console.error(
    `Skipping the PostgreSQL/Redis suites: ${missing.join(' and ')} not set (see docs/scaling.md, "Running the tests").`,
  );
}
