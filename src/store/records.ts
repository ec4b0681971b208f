// Plain records for a feature's own store module (review cards, study sessions): keys from keys.ts
// and JSON-like values, with only the operations every backend offers (a key, several keys, a key
// range). Features keep their records behind this, never SQL, so the store can move to another
// database without touching them.

export interface RecordEntry {
  key: string;
  value: unknown;
}

export interface RecordStore {
  /**
   * The values of `keys` (undefined where none), in one read batched with the other reads of this
   * event-loop turn; the caller names what it stored under each key.
   */
  getMany<T extends unknown[]>(
    keys: [...{ [K in keyof T]: string }],
  ): Promise<{ [K in keyof T]: T[K] | undefined }>;
  /** Writes every entry in one transaction: all of them or none. Resolves once committed. */
  setAtomically(entries: RecordEntry[]): Promise<void>;
  /**
   * Every record whose key starts with `prefix`, in key order, keys returned without the prefix:
   * one indexed range read; the caller names what it stored there.
   */
  getByPrefix<T>(prefix: string, options?: RangeReadOptions): Promise<Array<{ suffix: string; value: T }>>;
}

export interface RangeReadOptions {
  /**
   * The values hold only numbers, booleans, null, and arrays or objects of them: the store may then
   * skip its general value reader (strings need unescaping), about five times faster over thousands.
   */
  numbersOnly?: boolean;
}
