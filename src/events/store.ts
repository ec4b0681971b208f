// Quiz events and their answers over a Keyv instance (keys in src/store/keys.ts): each event, its
// answer sheets, and two indexes, the guild's active events and every active event. The indexes mean listing and resuming never scan the store. Every write is awaited before the
// method returns, so a caller that acknowledges after `recordAnswer` never acknowledges a lost answer.
import type Keyv from 'keyv';
import { recordEventAnswer } from './engine.js';
import { KeyedLock } from '../store/keyed-lock.js';
import {
  EVENTS_ACTIVE_KEY as ACTIVE_KEY,
  eventAnswersKey as answersKey,
  eventGuildKey as guildKey,
  eventKey,
} from '../store/keys.js';
import { generateEventId, isActive, newQuizEvent } from './model.js';
import type { AnswerResult, AnswerSheet, NewQuizEventInput, QuizEvent } from './model.js';

/** Discord allows 100 scheduled events per guild; the bot holds itself to the same. */
export const MAX_EVENTS_PER_GUILD = 100;

export type CreateEventResult = { ok: true; event: QuizEvent } | { ok: false; error: string };

export interface EventStoreOptions {
  /** For tests: a predictable id source. */
  generateId?: () => string;
}

const INDEX_LOCK = 'index';

export class EventStore {
  private readonly lock = new KeyedLock();
  /**
   * Open answer sheets, kept in memory while a question runs: a crowd's answers are checked against
   * memory (one synchronous step, so exactly once without waiting on a lock) and written together.
   */
  private readonly liveSheets = new Map<string, AnswerSheet>();
  /** Closed sheets seen by this process, so late clicks are refused without a read. */
  private readonly closedSheets = new Map<string, AnswerSheet>();
  /** Per sheet, the write that has not started yet: answers accepted meanwhile ride on it. */
  private readonly queuedWrites = new Map<string, Promise<void>>();
  private readonly generateId: () => string;

  constructor(
    private readonly keyv: Keyv,
    options: EventStoreOptions = {},
  ) {
    this.generateId = options.generateId ?? (() => generateEventId());
  }

  /** A new scheduled event with a fresh id, unless the guild is at its limit. */
  async create(input: NewQuizEventInput, now: number): Promise<CreateEventResult> {
    return this.lock.run(INDEX_LOCK, async () => {
      const guildIds = await this.guildIndex(input.guildId);
      if (guildIds.length >= MAX_EVENTS_PER_GUILD) {
        return {
          ok: false,
          error:
            `This server already has ${MAX_EVENTS_PER_GUILD} upcoming quiz events, the most allowed. ` +
            'Cancel one before scheduling another.',
        };
      }
      const id = await this.unusedId();
      const event = newQuizEvent(input, id, now);
      // The record first, then the indexes: a crash in between leaves an unlisted record, never a
      // listed id without a record.
      await this.keyv.set(eventKey(id), event);
      await this.keyv.set(guildKey(input.guildId), [...guildIds, id]);
      await this.keyv.set(ACTIVE_KEY, [...(await this.activeIndex()), id]);
      return { ok: true, event };
    });
  }

  async get(id: string): Promise<QuizEvent | undefined> {
    return (await this.keyv.get<QuizEvent>(eventKey(id))) ?? undefined;
  }

  /** Overwrites the event and keeps the indexes in step with its status. */
  async save(event: QuizEvent): Promise<void> {
    await this.lock.run(eventKey(event.id), () => this.write(event));
  }

  /**
   * Read, change and write one event atomically (with respect to this store's other writers), so
   * a step recorded by the runner and a cancel or an edit from a command never undo each other.
   */
  async update(id: string, change: (event: QuizEvent) => QuizEvent): Promise<QuizEvent | undefined> {
    return this.lock.run(eventKey(id), async () => {
      const current = await this.get(id);
      if (current === undefined) return undefined;
      const next = change(current);
      if (next !== current) await this.write(next);
      return next;
    });
  }

  /** The guild's scheduled and running events, soonest first. */
  async listByGuild(guildId: string): Promise<QuizEvent[]> {
    return this.loadAll(await this.guildIndex(guildId));
  }

  /** Every scheduled and running event, for a runner resuming after a restart. */
  async listActive(): Promise<QuizEvent[]> {
    return this.loadAll(await this.activeIndex());
  }

  /**
   * Marks the event cancelled and drops it from the indexes; undefined when there is no such event
   * in that guild or it had already finished. The record stays, for "it was cancelled" replies.
   */
  async cancel(id: string, guildId?: string): Promise<QuizEvent | undefined> {
    let cancelled: QuizEvent | undefined;
    await this.update(id, (event) => {
      if ((guildId !== undefined && event.guildId !== guildId) || !isActive(event)) return event;
      cancelled = { ...event, status: 'cancelled' };
      return cancelled;
    });
    return cancelled;
  }

  /** Deletes the event, its index entries and its answer sheets. */
  async remove(id: string): Promise<boolean> {
    return this.lock.run(eventKey(id), async () => {
      const event = await this.get(id);
      if (event === undefined) return false;
      await this.syncIndexes({ ...event, status: 'cancelled' });
      await this.clearAnswers(id, event.questions?.length ?? 0);
      return this.keyv.delete(eventKey(id));
    });
  }

  // ---- answers ----

  /**
   * The answer sheet for a question about to be posted. Idempotent per occurrence: when a restart
   * repeats the step, the sheet already there (with its answers and times) is kept and returned.
   */
  async openAnswers(
    event: QuizEvent,
    questionIndex: number,
    window: { openedAt: number; closesAt: number; answerCount: number },
  ): Promise<AnswerSheet> {
    const key = answersKey(event.id, questionIndex);
    return this.lock.run(key, async () => {
      const existing = this.liveSheets.get(key) ?? (await this.keyv.get<AnswerSheet>(key));
      if (existing && existing.occurrence === event.occurrence) {
        if (!existing.closed) this.liveSheets.set(key, existing);
        return existing;
      }
      const sheet: AnswerSheet = {
        eventId: event.id,
        occurrence: event.occurrence,
        questionIndex,
        ...window,
        closed: false,
        answers: {},
      };
      await this.keyv.set(key, sheet);
      this.liveSheets.set(key, sheet);
      return sheet;
    });
  }

  /**
   * One member's answer. Exactly once under concurrency: the check and the change happen in one
   * synchronous step on the sheet in memory, so of two simultaneous first clicks exactly one is
   * accepted. Resolves only after a write holding the answer committed (writes of one sheet go one
   * at a time, each carrying every answer accepted before it started: a burst of a thousand answers
   * costs a few writes, not a thousand); acknowledge the member after this, not before.
   */
  async recordAnswer(
    eventId: string,
    questionIndex: number,
    userId: string,
    choice: number,
    at: number,
    occurrence?: number,
  ): Promise<AnswerResult> {
    const key = answersKey(eventId, questionIndex);
    if (!this.liveSheets.has(key)) await this.loadSheet(key);
    const { result, sheet } = recordEventAnswer(
      this.liveSheets.get(key) ?? this.closedSheets.get(key),
      userId,
      choice,
      at,
      occurrence,
    );
    if (!result.accepted || sheet === undefined) return result;
    this.liveSheets.set(key, sheet);
    await this.persist(key);
    return result;
  }

  /**
   * Closes the sheet and returns it as final: queued on the same lock as answers, so every answer
   * acknowledged before the close is in it, and none is accepted after.
   */
  async closeAnswers(
    eventId: string,
    occurrence: number,
    questionIndex: number,
  ): Promise<AnswerSheet | undefined> {
    const key = answersKey(eventId, questionIndex);
    return this.lock.run(key, async () => {
      const sheet = this.liveSheets.get(key) ?? (await this.keyv.get<AnswerSheet>(key));
      if (!sheet || sheet.occurrence !== occurrence) return undefined;
      if (sheet.closed) return sheet;
      const closed = { ...sheet, closed: true };
      // From here on answers are refused from memory; the write below carries every accepted one.
      this.liveSheets.delete(key);
      this.closedSheets.set(key, closed);
      await this.keyv.set(key, closed);
      return closed;
    });
  }

  /** The sheets of one occurrence by question index; undefined where none (or an older one) is stored. */
  async answerSheets(
    eventId: string,
    occurrence: number,
    questionCount: number,
  ): Promise<(AnswerSheet | undefined)[]> {
    const sheets = await Promise.all(
      Array.from({ length: questionCount }, (_, index) =>
        this.keyv.get<AnswerSheet>(answersKey(eventId, index)),
      ),
    );
    return sheets.map((sheet) => (sheet && sheet.occurrence === occurrence ? sheet : undefined));
  }

  async clearAnswers(eventId: string, questionCount: number): Promise<void> {
    for (let index = 0; index < questionCount; index++) {
      this.liveSheets.delete(answersKey(eventId, index));
      this.closedSheets.delete(answersKey(eventId, index));
    }
    await Promise.all(
      Array.from({ length: questionCount }, (_, index) => this.keyv.delete(answersKey(eventId, index))),
    );
  }

  // ---- internals ----

  /** Brings a sheet into memory (open) or into the closed set, under the sheet's lock. */
  private async loadSheet(key: string): Promise<void> {
    await this.lock.run(key, async () => {
      if (this.liveSheets.has(key)) return;
      const stored = await this.keyv.get<AnswerSheet>(key);
      if (stored === undefined) return;
      if (stored.closed) this.closedSheets.set(key, stored);
      else this.liveSheets.set(key, stored);
    });
  }

  /** Group commit: joins the write not yet started, or queues one behind the sheet's lock. */
  private persist(key: string): Promise<void> {
    const queued = this.queuedWrites.get(key);
    if (queued) return queued;
    const write = this.lock.run(key, async () => {
      // Answers accepted after this point need the next write.
      this.queuedWrites.delete(key);
      const sheet = this.liveSheets.get(key) ?? this.closedSheets.get(key);
      if (sheet) await this.keyv.set(key, sheet);
    });
    this.queuedWrites.set(key, write);
    return write;
  }

  private async write(event: QuizEvent): Promise<void> {
    await this.keyv.set(eventKey(event.id), event);
    await this.syncIndexes(event);
  }

  private async syncIndexes(event: QuizEvent): Promise<void> {
    await this.lock.run(INDEX_LOCK, async () => {
      const active = isActive(event);
      const update = async (key: string, ids: string[]): Promise<void> => {
        const listed = ids.includes(event.id);
        if (active && !listed) await this.keyv.set(key, [...ids, event.id]);
        if (!active && listed)
          await this.keyv.set(
            key,
            ids.filter((id) => id !== event.id),
          );
      };
      await update(guildKey(event.guildId), await this.guildIndex(event.guildId));
      await update(ACTIVE_KEY, await this.activeIndex());
    });
  }

  private async loadAll(ids: readonly string[]): Promise<QuizEvent[]> {
    const events = await Promise.all(ids.map((id) => this.get(id)));
    return events
      .filter((event): event is QuizEvent => event !== undefined && isActive(event))
      .sort((a, b) => a.startAt - b.startAt || (a.id < b.id ? -1 : 1));
  }

  private async guildIndex(guildId: string): Promise<string[]> {
    return (await this.keyv.get<string[]>(guildKey(guildId))) ?? [];
  }

  private async activeIndex(): Promise<string[]> {
    return (await this.keyv.get<string[]>(ACTIVE_KEY)) ?? [];
  }

  private async unusedId(): Promise<string> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const id = this.generateId();
      if (!(await this.keyv.has(eventKey(id)))) return id;
    }
    throw new Error('Could not find an unused quiz event id in 20 attempts.');
  }
}
