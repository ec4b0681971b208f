// The bot's time: what "now" is, and timers that fire by it. Production uses the system clock;
// tests pass a clock they move by hand, so a quiz event or a review schedule runs without waiting.
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  // A library boundary: callers hold the handle opaquely; it is the Timeout this clock made.
  // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- Node's timer handle, returned by setTimeout above
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
