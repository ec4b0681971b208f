// How often each question was missed in a server, counted per UTC day, for review nights: "the
// most-missed questions of the last 14 days" reads 14 key ranges of small records, never members'
// cards. A miss is a wrong answer that scored: the first answer to a question in a channel quiz or an
// event, so each member counts once per question and game.
//
// Each question has its own count per day, so a write carries only the questions missed since the
// last one, however many that day has seen. (One record per server and day, as it was, grew with every
// question missed that day and was rewritten whole by every write: at 1,000 questions it was 26 KB a
// write, more than doubling a click's CPU.) Counts are written with group commit (one write in flight
// per day, carrying every miss counted before it started), so an event ending with a crowd's answers
// costs a few writes, not one per miss. One process counts a server's misses (a server's clicks and
// events all reach the process of its shard), so the counts it holds are what the store holds.
import type { QuestionRef } from '../quiz/answer.js';
import { questionKey } from '../quiz/answer.js';
import { KeyedLock } from '../store/keyed-lock.js';
import { missedDayKey, missedDayPrefix, missedQuestionKey } from '../store/keys.js';
import type { RecordStore } from '../store/records.js';
import { parseQuestionKey } from './questions.js';

const DAY_MS = 86_400_000;

interface DayState {
  guildId: string;
  day: string;
  /** What the store holds, for each question this process has counted that day. */
  durable: Map<string, number>;
  /** Stored counts being read (two misses of a question at once read it once). */
  reading: Map<string, Promise<void>>;
  /** Misses counted since, not yet written. */
  pending: Map<string, number>;
  /** The write that has not started yet; misses counted now ride on it. */
  queued: Promise<void> | null;
  /** Misses being counted: a state in use is never dropped, or a second one would count beside it. */
  inUse: number;
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
    const state = this.stateOf(guildId, utcDay(at));
    const question = questionKey(ref);
    state.inUse += 1;
    try {
      await this.readCount(state, question);
      state.pending.set(question, (state.pending.get(question) ?? 0) + 1);
      await this.persist(state);
    } finally {
      state.inUse -= 1;
    }
  }

  /**
   * The questions missed in the `days` UTC days up to and including the day of `now`, most missed
   * first (ties: the question key, so the order is stable). One range read a day, and one read of the
   * days' records in the old one-record-a-day form.
   */
  async mostMissed(guildId: string, days: number, now: number): Promise<MissedQuestion[]> {
    const window = lastDays(days, now);
    const [dayRecords, dayRows] = await Promise.all([
      this.records.getMany<unknown[]>(window.map((day) => missedDayKey(guildId, day))),
      Promise.all(
        window.map((day) =>
          this.records.getByPrefix<unknown>(missedDayPrefix(guildId, day), { numbersOnly: true }),
        ),
      ),
    ]);
    const totals = new Map<string, number>();
    const add = (question: string, count: number) =>
      totals.set(question, (totals.get(question) ?? 0) + count);
    for (const record of dayRecords) for (const [question, count] of countsOf(record)) add(question, count);
    for (const rows of dayRows) for (const row of rows) add(row.suffix, countOf(row.value));
    const missed: MissedQuestion[] = [];
    for (const [question, misses] of totals) {
      const ref = parseQuestionKey(question);
      if (ref !== null && misses > 0) missed.push({ ref, misses });
    }
    return missed.sort((a, b) => b.misses - a.misses || compare(questionKey(a.ref), questionKey(b.ref)));
  }

  private stateOf(guildId: string, day: string): DayState {
    const key = missedDayKey(guildId, day);
    const known = this.states.get(key);
    if (known) return known;
    this.forgetIdleStates();
    const state: DayState = {
      guildId,
      day,
      durable: new Map(),
      reading: new Map(),
      pending: new Map(),
      queued: null,
      inUse: 0,
    };
    this.states.set(key, state);
    return state;
  }

  /** Brings the stored count of `question` that day into memory, once. */
  private readCount(state: DayState, question: string): Promise<void> {
    if (state.durable.has(question)) return Promise.resolve();
    let reading = state.reading.get(question);
    if (reading === undefined) {
      reading = this.records
        .getMany<[unknown]>([missedQuestionKey(state.guildId, state.day, question)])
        .then(([stored]) => {
          if (!state.durable.has(question)) state.durable.set(question, countOf(stored));
        })
        .finally(() => state.reading.delete(question));
      state.reading.set(question, reading);
    }
    return reading;
  }

  /**
   * Joins the write that has not started yet, or queues one. A failed write's misses are dropped,
   * not retried: its callers are told it failed, and an event step that retries reports them again.
   */
  private persist(state: DayState): Promise<void> {
    if (state.queued) return state.queued;
    const write = this.lock.run(missedDayKey(state.guildId, state.day), async () => {
      state.queued = null;
      const carried = state.pending;
      state.pending = new Map();
      const counts = [...carried].map(([question, count]): [string, number] => [
        question,
        (state.durable.get(question) ?? 0) + count,
      ]);
      await this.records.setAtomically(
        counts.map(([question, count]) => ({
          key: missedQuestionKey(state.guildId, state.day, question),
          value: count,
        })),
      );
      for (const [question, count] of counts) state.durable.set(question, count);
    });
    state.queued = write;
    return write;
  }

  private forgetIdleStates(): void {
    if (this.states.size < KEPT_DAY_STATES) return;
    for (const [key, state] of this.states) {
      if (state.inUse === 0) this.states.delete(key);
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

/** A stored count, 0 when there is none (or it is not a count). */
function countOf(stored: unknown): number {
  return typeof stored === 'number' && Number.isFinite(stored) ? stored : 0;
}

/** The counts of a day record in the old form: question key → misses. */
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
