// The batching every store table shares: the reads, and the writes, that callers ask for during one
// event-loop turn are handed over together, so that a crowd's clicks cost a few statements.

import { chunk } from './keyv-codec.js';

interface ReadRequest {
  /** Full (namespaced) keys. */
  keys: string[];
  resolve: (stored: Array<string | undefined>) => void;
  reject: (error: unknown) => void;
}

interface WriteRequest {
  rows: Array<[string, string]>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Collects the requests made during one event-loop turn and hands them over together once the
 * turn's I/O callbacks have run (setImmediate), so that a crowd's clicks arriving together share
 * statements.
 */
class TurnQueue<Request extends { reject(error: unknown): void }> {
  private pending: Request[] = [];

  constructor(private readonly flush: (requests: Request[]) => Promise<void>) {}

  add(request: Request): void {
    if (this.pending.length === 0) setImmediate(() => this.flushPending());
    this.pending.push(request);
  }

  private flushPending(): void {
    const requests = this.pending;
    this.pending = [];
    // flush settles every request itself; this catch only keeps a bug there from going unhandled.
    this.flush(requests).catch((error: unknown) => {
      for (const request of requests) request.reject(error);
    });
  }
}

/**
 * Answers a batch of reads: each distinct key is asked once, `maxKeys` to a statement (`fetch`),
 * and every caller gets its own keys back. If a statement fails, every read of the batch rejects.
 */
async function answerReads(
  requests: ReadRequest[],
  maxKeys: number,
  fetch: (keys: string[]) => Promise<Array<{ key: string; value: string }>>,
): Promise<void> {
  try {
    const distinct = [...new Set(requests.flatMap((request) => request.keys))];
    const found = new Map<string, string>();
    for (const keys of chunk(distinct, maxKeys)) {
      for (const row of await fetch(keys)) found.set(row.key, row.value);
    }
    for (const request of requests) request.resolve(request.keys.map((key) => found.get(key)));
  } catch (error) {
    for (const request of requests) request.reject(error);
  }
}

/**
 * Runs a batch of writes: whole requests packed into writes of at most `maxRows` rows (a larger
 * request goes alone, unsplit), one after another so that later requests still win. `write`
 * commits one pack's rows, in order; if it fails, the requests of that pack reject and the others
 * still commit.
 */
async function commitWrites(
  requests: WriteRequest[],
  maxRows: number,
  write: (rows: Array<[string, string]>) => Promise<void>,
): Promise<void> {
  const packs: WriteRequest[][] = [];
  let current: WriteRequest[] = [];
  let rowCount = 0;
  for (const request of requests) {
    if (current.length > 0 && rowCount + request.rows.length > maxRows) {
      packs.push(current);
      current = [];
      rowCount = 0;
    }
    current.push(request);
    rowCount += request.rows.length;
  }
  packs.push(current);

  for (const pack of packs) {
    try {
      await write(pack.flatMap((request) => request.rows));
    } catch (error) {
      for (const request of pack) request.reject(error);
      continue;
    }
    for (const request of pack) request.resolve();
  }
}

/** The two statements a table batches: read the rows of some keys, and upsert rows in order. */
export interface BatchStatements {
  read(keys: string[]): Promise<Array<{ key: string; value: string }>>;
  write(rows: Array<[string, string]>): Promise<void>;
}

/**
 * A table's reads and writes, each batched with the others of its event-loop turn: every read of a
 * turn shares statements of at most `maxRows` keys, and every write transactions of at most
 * `maxRows` rows (a larger write goes alone, unsplit).
 */
export class TurnBatches {
  private readonly reads: TurnQueue<ReadRequest>;
  private readonly writes: TurnQueue<WriteRequest>;

  constructor(maxRows: number, statements: BatchStatements) {
    this.reads = new TurnQueue((requests) => answerReads(requests, maxRows, (keys) => statements.read(keys)));
    this.writes = new TurnQueue((requests) =>
      commitWrites(requests, maxRows, (rows) => statements.write(rows)),
    );
  }

  /** The stored values of `keys` (full keys), undefined where none. */
  read(keys: string[]): Promise<Array<string | undefined>> {
    if (keys.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => this.reads.add({ keys, resolve, reject }));
  }

  /** Writes `rows` in one transaction; resolves once they are committed. */
  write(rows: Array<[string, string]>): Promise<void> {
    return new Promise((resolve, reject) => this.writes.add({ rows, resolve, reject }));
  }
}
