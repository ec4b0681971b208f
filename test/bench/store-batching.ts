// Bench-only prototype of a store change, measured by `npm run bench -- --variants` as "quiz+batch":
// loaded into the bot process with `--import` before src/index.ts, it makes the store send SQL in
// batches. Profiles of the click bench show the bot's main thread spending most of its extra time
// (over the bare bot) in node-sqlite3's per-statement overhead: a Statement object, two thread-pool
// round trips and their callbacks for each of the three statements a click makes (two reads, one
// write). Here every read and every atomic write issued in the same event-loop turn share one
// statement: `SELECT ... WHERE key IN (...)` and one multi-row upsert. One statement is one SQLite
// transaction, so each click's answer and score still land together or not at all; the per-user
// lock in the store still orders one member's clicks. Not for production as is: the real change
// belongs in src/store/sqlite.ts (see docs/benchmarks.md).
import KeyvSqlite from '@keyv/sqlite';
import { KeyvTable, type KeyValue } from '../../src/store/sqlite.js';

/** SQLite allows 32,766 bound parameters; stay far below and keep statements short. */
const MAX_KEYS_PER_STATEMENT = 250;

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** Collects requests until the end of the current event-loop turn, then runs them as one batch. */
class TurnBatcher<Item, Result> {
  private items: { item: Item; waiter: Waiter<Result> }[] = [];

  constructor(private readonly run: (items: Item[]) => Promise<Result[]>) {}

  add(item: Item): Promise<Result> {
    if (this.items.length === 0) setImmediate(() => void this.flush());
    return new Promise((resolve, reject) => this.items.push({ item, waiter: { resolve, reject } }));
  }

  private async flush(): Promise<void> {
    const batch = this.items;
    this.items = [];
    try {
      const results = await this.run(batch.map((entry) => entry.item));
      batch.forEach((entry, i) => entry.waiter.resolve(results[i] as Result));
    } catch (error) {
      for (const entry of batch) entry.waiter.reject(error);
    }
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const readers = new WeakMap<KeyvSqlite, TurnBatcher<string, string | undefined>>();

function readerFor(adapter: KeyvSqlite): TurnBatcher<string, string | undefined> {
  let reader = readers.get(adapter);
  if (!reader) {
    const table = adapter.opts.table ?? 'keyv';
    reader = new TurnBatcher(async (keys) => {
      const found = new Map<string, string>();
      for (const chunk of chunks([...new Set(keys)], MAX_KEYS_PER_STATEMENT)) {
        const rows = (await adapter.query(
          `SELECT key, value FROM ${table} WHERE key IN (${chunk.map(() => '?').join(', ')})`,
          ...chunk,
        )) as { key: string; value: string }[];
        for (const row of rows) found.set(row.key, row.value);
      }
      return keys.map((key) => found.get(key));
    });
    readers.set(adapter, reader);
  }
  return reader;
}

const writers = new WeakMap<KeyvTable, TurnBatcher<KeyValue[], undefined>>();

function writerFor(table: KeyvTable): TurnBatcher<KeyValue[], undefined> {
  let writer = writers.get(table);
  if (!writer) {
    writer = new TurnBatcher(async (groups) => {
      // Groups are never split across statements: each click's entries stay in one transaction.
      let statement: KeyValue[] = [];
      const send = async (): Promise<void> => {
        if (statement.length === 0) return;
        const rows = await Promise.all(statement.map((entry) => table.toRow(entry)));
        statement = [];
        await table.query(table.upsertSql(rows.length), ...rows.flat());
      };
      for (const group of groups) {
        if (statement.length + group.length > MAX_KEYS_PER_STATEMENT) await send();
        statement.push(...group);
      }
      await send();
      return groups.map(() => undefined);
    });
    writers.set(table, writer);
  }
  return writer;
}

// The adapter's get is what Keyv's get calls; the store's two reads per click come through here.
KeyvSqlite.prototype.get = function get(this: KeyvSqlite, key: string) {
  return readerFor(this).add(key);
} as KeyvSqlite['get'];

KeyvTable.prototype.setAtomically = async function setAtomically(
  this: KeyvTable,
  entries: KeyValue[],
): Promise<void> {
  if (entries.length > 0) await writerFor(this).add(entries);
};
