import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyvSqliteAdapter } from '../../src/store/sqlite-adapter.js';
import type Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_KEYS_PER_STATEMENT,
  openSqliteKeyv,
  type KeyValue,
  type KeyvTable,
} from '../../src/store/sqlite.js';

let folder: string;
let keyv: Keyv;
let table: KeyvTable;
let adapter: KeyvSqliteAdapter;
/** Every SQL statement the table sent, recorded by a spy on the adapter's query. */
let sent: string[];
/** The parameters of each statement in `sent`. */
let sentParams: unknown[][];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'quizbot-sqlite-'));
  ({ keyv, table } = await openSqliteKeyv(`sqlite://${join(folder, 'kv.sqlite')}`, 'ns', { warn: vi.fn() }));
  adapter = keyv.store as KeyvSqliteAdapter;
  sent = [];
  sentParams = [];
  const query = adapter.query;
  vi.spyOn(adapter, 'query').mockImplementation((sql, ...params) => {
    sent.push(sql);
    sentParams.push(params);
    return query(sql, ...params);
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  // Some tests close the database underneath, which makes a second close throw.
  await keyv.disconnect().catch(() => undefined);
  await rm(folder, { recursive: true, force: true });
});

const selects = () => sent.filter((sql) => sql.startsWith('SELECT'));
const inserts = () => sent.filter((sql) => sql.startsWith('INSERT'));
const insertParams = () => sentParams.filter((_, i) => sent[i]?.startsWith('INSERT'));

function entries(prefix: string, count: number): KeyValue[] {
  return Array.from({ length: count }, (_, i) => ({ key: `${prefix}${i}`, value: { n: i, of: prefix } }));
}

/** The keys a statement reads or writes: a batch passes them (or its rows) as one JSON array. */
function statementKeys(params: unknown[]): unknown[] {
  return params.flatMap((param) => {
    if (typeof param !== 'string' || !param.startsWith('[')) return [param];
    const parsed: unknown = JSON.parse(param);
    if (!Array.isArray(parsed)) return [param];
    const items: unknown[] = parsed;
    return items.map((item): unknown => (Array.isArray(item) ? (item as unknown[])[0] : item));
  });
}

/** Makes every statement whose parameters include `key` (as stored, namespaced) fail. */
function failStatementsWith(key: string): void {
  const query = adapter.query;
  vi.spyOn(adapter, 'query').mockImplementation((sql, ...params) =>
    statementKeys(params).includes(`ns:${key}`)
      ? Promise.reject(new Error('injected failure'))
      : query(sql, ...params),
  );
}

describe('KeyvTable.getMany', () => {
  it('GIVEN callers asking overlapping keys in one turn THEN each gets its own values from one SELECT', async () => {
    await table.setAtomically([
      { key: 'a', value: 1 },
      { key: 'b', value: { text: 'two' } },
      { key: 'c', value: [3] },
    ]);
    sent = [];
    sentParams = [];
    const results = await Promise.all([
      table.getMany(['a', 'b']),
      table.getMany(['b', 'c', 'missing']),
      table.getMany(['a']),
      table.getMany(['c', 'c']),
      table.getMany([]),
    ]);
    expect(results).toEqual([[1, { text: 'two' }], [{ text: 'two' }, [3], undefined], [1], [[3], [3]], []]);
    expect(selects()).toHaveLength(1);
  });

  it('GIVEN values Keyv wrote THEN they read back exactly as keyv.get reads them', async () => {
    const values: Record<string, unknown> = {
      escaped: ':base64:not really',
      text: 'plain "quoted" text',
      nested: { list: [1, 'two', { three: null }], flag: false },
      zero: 0,
      empty: '',
    };
    for (const [key, value] of Object.entries(values)) await keyv.set(key, value);
    await keyv.set('expired', 'gone', 1);
    await new Promise((resolve) => setTimeout(resolve, 5));

    const keys = [...Object.keys(values), 'expired'];
    const batched = await table.getMany(keys);
    const oneByOne = await Promise.all(keys.map((key) => keyv.get(key)));
    expect(batched).toEqual(oneByOne);
    expect(batched).toEqual([...Object.values(values), undefined]);
  });

  it('GIVEN more keys in one turn than one statement takes THEN they are read in chunks and all come back', async () => {
    const written = entries('k', 1_200);
    await table.setAtomically(written);
    sent = [];
    sentParams = [];
    const asked = [written.slice(0, 700), written.slice(500, 1_200), written.slice(100, 200)];
    const results = await Promise.all(asked.map((group) => table.getMany(group.map((entry) => entry.key))));
    expect(results).toEqual(asked.map((group) => group.map((entry) => entry.value)));
    expect(selects()).toHaveLength(Math.ceil(1_200 / MAX_KEYS_PER_STATEMENT));
  });

  it('GIVEN the database closed underneath THEN every read of the batch rejects', async () => {
    await adapter.close();
    const reads = [table.getMany(['a']), table.getMany(['b', 'c']), table.getMany(['a', 'd'])];
    const settled = await Promise.allSettled(reads);
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});

describe('KeyvTable.setAtomically', () => {
  it('GIVEN many callers in one turn THEN they share one statement and each resolves once committed', async () => {
    await Promise.all(Array.from({ length: 100 }, (_, i) => table.setAtomically(entries(`u${i}:`, 2))));
    expect(inserts()).toHaveLength(1);
    const [first, last] = await table.getMany(['u0:1', 'u99:0']);
    expect(first).toEqual({ n: 1, of: 'u0:' });
    expect(last).toEqual({ n: 0, of: 'u99:' });
  });

  it('GIVEN two callers writing the same key in one turn THEN the later one wins', async () => {
    await Promise.all([
      table.setAtomically([{ key: 'same', value: 'first' }]),
      table.setAtomically([{ key: 'same', value: 'second' }]),
      table.setAtomically([{ key: 'same', value: 'third' }]),
    ]);
    expect(await keyv.get('same')).toBe('third');
  });

  it('GIVEN a caller with more entries than one statement takes THEN they still go in one statement', async () => {
    const big = entries('big', MAX_KEYS_PER_STATEMENT + 200);
    await Promise.all([
      table.setAtomically(entries('small', 10)),
      table.setAtomically(big),
      table.setAtomically(entries('after', 10)),
    ]);
    const rowCounts = insertParams().map((params) => statementKeys(params).length);
    expect(rowCounts).toEqual([10, big.length, 10]);
    const readBack = await table.getMany(['small9', `big${big.length - 1}`, 'after0']);
    expect(readBack.every((value) => value !== undefined)).toBe(true);
  });

  it('GIVEN a statement that fails THEN every caller it carried rejects and callers of other statements commit', async () => {
    failStatementsWith('bad');
    const results = await Promise.allSettled([
      table.setAtomically(entries('a', 400)), // statement 1
      table.setAtomically([...entries('b', 199), { key: 'bad', value: 0 }]), // statement 2: 400 + 200 > 500
      table.setAtomically(entries('c', 100)), // fits in statement 2, and fails with it
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(results[1]).toMatchObject({ reason: new Error('injected failure') });
    vi.restoreAllMocks();
    expect(await table.getMany(['a399', 'b0', 'bad', 'c0'])).toEqual([
      { n: 399, of: 'a' },
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('GIVEN a value that cannot be serialized THEN only that caller rejects', async () => {
    const results = await Promise.allSettled([
      table.setAtomically([{ key: 'fine', value: 1 }]),
      table.setAtomically([{ key: 'broken', value: 1n }]),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
    expect(await table.getMany(['fine', 'broken'])).toEqual([1, undefined]);
  });
});
