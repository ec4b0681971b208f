// Vitest global setup: says once per run which server suites are skipped, and fails the run in CI
// (CI=true) when a server the suites need was not provided.
import { POSTGRES_BIN } from './pg-cluster.js';
import { TEST_POSTGRES_URL, TEST_REDIS_URL } from './servers.js';

export default function setup(): void {
  const missing = [
    ...(TEST_POSTGRES_URL === undefined ? ['TEST_POSTGRES_URL'] : []),
    ...(TEST_REDIS_URL === undefined ? ['TEST_REDIS_URL'] : []),
  ];
  // The PostgreSQL stop/restart test starts a server of its own (test/support/pg-cluster.ts).
  const noPostgresPrograms = POSTGRES_BIN === undefined;
  if (process.env.CI === 'true') {
    const needs = [
      ...(missing.length > 0 ? [`set ${missing.join(' and ')} (.ci/run starts them)`] : []),
      ...(noPostgresPrograms ? ["install PostgreSQL's server programs (apt-get install postgresql)"] : []),
    ];
    if (needs.length > 0) throw new Error(`CI needs real servers for the store suites: ${needs.join('; ')}`);
    return;
  }
  if (missing.length > 0)
    console.error(
      `Skipping the PostgreSQL/Redis suites: ${missing.join(' and ')} not set (see docs/scaling.md, "Running the tests").`,
    );
  if (noPostgresPrograms)
    console.error(
      'Skipping the PostgreSQL stop/restart test (shards-burst): no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on the PATH.',
    );
}
