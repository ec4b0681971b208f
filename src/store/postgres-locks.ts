// The lock that keeps two bot processes from running the same quiz event step: a PostgreSQL
// session advisory lock per event, taken for the step and released after its outcome is saved,
// all on one connection of its own. A process that dies (SIGKILL included) loses its connection
// and with it its locks, at once: a restarted shard takes its events back without waiting for a
// lease to run out. A process whose lock connection breaks reconnects on the next step.

import pg from 'pg';
import type { StepLockResult, StepLocks } from './backend.js';
import type { StoreLogger } from './sqlite.js';
import { asUnavailable } from './unavailable.js';

/** The first half of each lock's key: quiz event steps (the second half is the event id's hash). */
const EVENT_STEP_LOCKS = 7_221;

export class PostgresStepLocks implements StepLocks {
  readonly shared = true;
  private current: pg.Client | null = null;
  private pending: Promise<pg.Client> | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly logger: StoreLogger,
  ) {}

  async run<T>(eventId: string, step: () => Promise<T>): Promise<StepLockResult<T>> {
    const client = await this.connect();
    const locked = await this.query<{ locked: boolean }>(
      client,
      'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
      [EVENT_STEP_LOCKS, eventId],
    );
    if (locked[0]?.locked !== true) return { ran: false };
    try {
      return { ran: true, value: await step() };
    } finally {
      // A broken connection has released the lock already; the next step reconnects.
      await this.query(client, 'SELECT pg_advisory_unlock($1, hashtext($2))', [
        EVENT_STEP_LOCKS,
        eventId,
      ]).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.current ?? (await this.pending?.catch(() => null)) ?? null;
    this.current = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<pg.Client> {
    if (this.closed) throw new Error('the quiz store is closed');
    if (this.current !== null) return this.current;
    this.pending ??= this.open().finally(() => {
      this.pending = null;
    });
    try {
      return await this.pending;
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: 2_000,
      keepAlive: true,
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'PostgreSQL lock connection lost; reconnecting on the next step');
      this.drop(client);
    });
    client.on('end', () => this.drop(client));
    await client.connect();
    this.current = client;
    return client;
  }

  private drop(client: pg.Client): void {
    if (this.current !== client) return;
    this.current = null;
    client.end().catch(() => undefined);
  }

  private async query<Row extends pg.QueryResultRow>(
    client: pg.Client,
    sql: string,
    values: unknown[],
  ): Promise<Row[]> {
    try {
      return (await client.query<Row>(sql, values)).rows;
    } catch (error) {
      if (asUnavailable(error) !== error) this.drop(client);
      throw asUnavailable(error);
    }
  }
}
