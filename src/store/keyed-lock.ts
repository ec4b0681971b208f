// Runs tasks one at a time per key, in call order, and lets different keys run in parallel.
// Two clicks by the same user therefore read-check-write one after the other, never interleaved.

export class KeyedLock {
  /** The last queued task of each key, settled either way; removed once the key is idle. */
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** How many keys have work queued or running (tests and diagnostics). */
  get activeKeys(): number {
    return this.tails.size;
  }
}
