// The batching every store table shares: the reads, and the writes, that callers ask for during one
// event-loop turn are handed over together, so that a crowd's clicks cost a few statements.

export interface ReadRequest {
  /** Full (namespaced) keys. */
  keys: string[];
  resolve: (stored: Array<string | undefined>) => void;
  reject: (error: unknown) => void;
}

export interface WriteRequest {
  rows: Array<[string, string]>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Collects the requests made during one event-loop turn and hands them over together once the
 * turn's I/O callbacks have run (setImmediate), so that a crowd's clicks arriving together share
 * statements.
 */
export class TurnQueue<Request extends { reject(error: unknown): void }> {
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
