// A clock that moves only when a test moves it: quiz events and review schedules run through
// minutes or weeks without real waits. Timers fire in time order as the clock passes them.
import type { Clock } from '../../src/clock.js';

interface Timer {
  at: number;
  callback: () => void;
}

export class TestClock implements Clock {
  /**
   * Awaited before time moves and after each timer fires (e.g. the event runner's whenIdle), so
   * the work a timer started finishes, and arms its next timer, before the clock passes it by.
   */
  idle: () => Promise<void> = () => Promise.resolve();
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();

  constructor(start: number = Date.now()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.size;
  }

  /**
   * Moves time forward by `ms`, firing each timer due on the way at its own time, and waits for
   * the work it started (see `idle`) before moving on.
   */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await this.settle();
    for (;;) {
      const due = this.nextDue(target);
      if (due === undefined) break;
      const [id, timer] = due;
      this.timers.delete(id);
      this.time = Math.max(this.time, timer.at);
      timer.callback();
      await this.settle();
    }
    this.time = target;
    await this.settle();
  }

  /** Moves time to `at` (no-op when it is already later). */
  advanceTo(at: number): Promise<void> {
    return this.advance(Math.max(0, at - this.time));
  }

  private async settle(): Promise<void> {
    await turns();
    await this.idle();
    await turns();
  }

  private nextDue(target: number): [number, Timer] | undefined {
    let found: [number, Timer] | undefined;
    for (const entry of this.timers) {
      if (entry[1].at <= target && (found === undefined || entry[1].at < found[1].at)) found = entry;
    }
    return found;
  }
}

/** A few turns of the event loop: enough for promise chains started by a timer to move. */
async function turns(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}
