// How often each question was missed in a server, counted per UTC day, for review nights: "the
// most-missed questions of the last 14 days" reads 14 small records (one read), never members' cards.
// A miss is a wrong answer that scored: the first answer to a question in a channel quiz or an event,
// so each member counts once per question and game. Counts are written with group commit (one write
// in flight per day, carrying every miss counted before it started), so an event ending with a
// crowd's answers costs a few writes, not one per miss.
import type { QuestionRef } from '../quiz/answer.js';
import { questionKey } from '../quiz/answer.js';
import { KeyedLock } from '../store/keyed-lock.js';
import { missedDayKey } from '../store/keys.js';
import type { RecordStore } from '../store/records.js';
import { parseQuestionKey } from './questions.js';

const DAY_MS = 86_400_000;

/** questionKey → misses that day. */
type DayCounts = Record<string, number>;

interface DayState {
  /** What the store holds. */
  durable: Map<string, number>;
  /** Misses counted since, not yet written. */
  pending: Map<string, number>;
  /** The write that has not started yet; misses counted now ride on it. */
  queued: Promise<void> | null;
}

export interface MissedQuestion {
  ref: QuestionRef;
  misses: number;
}

/** Day states kept in memory beyond this are dropped when idle (they are re-read on demand). */
const KEPT_DAY_STATES = 64;

export class MissedCounter {
  private readonly states = new Map<string, DayState>();
  private readonly lock = new KeyedLock();

  constructor(private readonly records: RecordStore) {}

  /** Counts one miss of `ref` on the day of `at`; resolves once a write holding it committed. */
  async add(guildId: string, ref: QuestionRef, at: number): Promise<void> {
    const key = missedDayKey(guildId, utcDay(at));
    const state = await this.load(key);
    const question = questionKey(ref);
    state.pending.set(question, (state.pending.get(question) ?? 0) + 1);
    await this.persist(key, state);
  }

  /**
   * The questions missed in the `days` UTC days up to and including the day of `now`, most missed
   * first (ties: the question key, so the order is stable). One read of at most `days` records.
   */
  async mostMissed(guildId: string, days: number, now: number): Promise<MissedQuestion[]> {
    const keys = lastDays(days, now).map((day) => missedDayKey(guildId, day));
    const stored = await this.records.getMany<unknown[]>(keys);
    const totals = new Map<string, number>();
    for (const day of stored) {
      for (const [question, count] of countsOf(day))
        totals.set(question, (totals.get(question) ?? 0) + count);
    }
    const missed: MissedQuestion[] = [];
    for (const [question, misses] of totals) {
      const ref = parseQuestionKey(question);
      if (ref !== null && misses > 0) missed.push({ ref, misses });
    }
    return missed.sort((a, b) => b.misses - a.misses || compare(questionKey(a.ref), questionKey(b.ref)));
  }

  /** Brings a day's counts into memory, under the day's lock so two loads make one state. */
  private async load(key: string): Promise<DayState> {
    const known = this.states.get(key);
    if (known) return known;
    return this.lock.run(key, async () => {
      const again = this.states.get(key);
      if (again) return again;
      const [stored] = await this.records.getMany<[unknown]>([key]);
      const state: DayState = { durable: countsOf(stored), pending: new Map(), queued: null };
      this.forgetIdleStates();
      this.states.set(key, state);
      return state;
    });
  }

  /**
   * Joins the write that has not started yet, or queues one. A failed write's misses are dropped,
   * not retried: its callers are told it failed, and an event step that retries reports them again.
   */
  private persist(key: string, state: DayState): Promise<void> {
    if (state.queued) return state.queued;
    const write = this.lock.run(key, async () => {
      state.queued = null;
      const carried = state.pending;
      state.pending = new Map();
      const next = new Map(state.durable);
      for (const [question, count] of carried) next.set(question, (next.get(question) ?? 0) + count);
      const value: DayCounts = Object.fromEntries(next);
      await this.records.setAtomically([{ key, value }]);
      state.durable = next;
    });
    state.queued = write;
    return write;
  }

  private forgetIdleStates(): void {
    if (this.states.size < KEPT_DAY_STATES) return;
    for (const [key, state] of this.states) {
      if (state.queued === null && state.pending.size === 0) this.states.delete(key);
    }
  }
}

/** `YYYY-MM-DD` of `at` in UTC. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The `days` UTC days ending with the day of `now`, oldest first. */
export function lastDays(days: number, now: number): string[] {
  const count = Math.max(1, Math.floor(days));
  return Array.from({ length: count }, (_, index) => utcDay(now - (count - 1 - index) * DAY_MS));
}

function countsOf(stored: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  if (typeof stored !== 'object' || stored === null) return counts;
  for (const [question, count] of Object.entries(stored)) {
    if (typeof count === 'number' && Number.isFinite(count)) counts.set(question, count);
  }
  return counts;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
