// Quiz events and their answers over a Keyv instance (keys in src/store/keys.ts): each event, its
// answer sheets, and two indexes, the guild's active events and every active event. The indexes mean listing and resuming never scan the store. Every write is awaited before the
// method returns, so a caller that acknowledges after `recordAnswer` never acknowledges a lost answer.
import type Keyv from 'keyv';
import { recordEventAnswer, refusalWithoutSheet } from './answers.js';
import type { EventClick } from './answers.js';
import { KeyedLock } from '../store/keyed-lock.js';
import type { KeyValueStore } from '../store/index.js';
import {
  EVENTS_ACTIVE_KEY as LEGACY_ACTIVE_KEY,
  EVENTS_ACTIVE_PREFIX as ACTIVE_PREFIX,
  eventActiveKey,
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
  /** Prefix reads of the store (the bot's); without it the Keyv is iterated (tests on a Map). */
  kv?: Pick<KeyValueStore, 'getByPrefix'>;
}

const INDEX_LOCK = 'index';

interface SheetState {
  /** What the store holds. */
  durable: AnswerSheet;
  /** `durable` plus the answers accepted since, not yet written: what clicks are checked against. */
  live: AnswerSheet;
  /** The write that has not started yet; answers accepted now ride on it. */
  queued: Promise<void> | null;
}

/** `live` without the answers of a failed write that were not already on disk. */
function withoutUnwritten(live: AnswerSheet, failed: AnswerSheet, durable: AnswerSheet): AnswerSheet {
  const answers = { ...live.answers };
  for (const userId of Object.keys(failed.answers)) {
    if (!Object.hasOwn(durable.answers, userId)) delete answers[userId];
  }
  return { ...live, answers };
}

export class EventStore {
  private readonly lock = new KeyedLock();
  /** The sheets of this process's events, open or closed, until the occurrence ends. */
  private readonly sheets = new Map<string, SheetState>();
  private readonly generateId: () => string;
  private readonly kv: Pick<KeyValueStore, 'getByPrefix'>;

  constructor(
    private readonly keyv: Keyv,
    options: EventStoreOptions = {},
  ) {
    this.generateId = options.generateId ?? (() => generateEventId());
    this.kv = options.kv ?? iteratedPrefixes(keyv);
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
      await this.keyv.set(eventActiveKey(id), input.guildId);
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
    await this.moveLegacyActiveList();
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
  //
  // An open question's sheet lives in memory as two copies: `durable`, what the store holds, and
  // `live`, durable plus the answers accepted since and not yet written. Clicks are checked against
  // `live` (one synchronous step, so exactly once without a lock) and acknowledged only once a write
  // carrying them committed (group commit: a burst of a thousand answers costs a few writes). A
  // failed write takes its answers back out of `live`, so nothing a member was not told is kept and
  // nothing a member was told can be lost.

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
    const existing = this.sheets.get(key) ?? (await this.loadSheet(key));
    if (existing && existing.live.occurrence === event.occurrence) return existing.live;
    const sheet: AnswerSheet = {
      eventId: event.id,
      guildId: event.guildId,
      channelId: event.channelId,
      occurrence: event.occurrence,
      questionIndex,
      ...window,
      closed: false,
      answers: {},
    };
    await this.lock.run(key, () => this.keyv.set(key, sheet));
    this.sheets.set(key, { durable: sheet, live: sheet, queued: null });
    return sheet;
  }

  /**
   * One member's click. Resolves once the answer it reports is on disk: for an accepted click, its
   * own answer; for "already answered", the member's first answer, which may still be riding on a
   * write. Rejects when that write fails; the member then gets an apology and may click again.
   */
  async recordAnswer(click: EventClick): Promise<AnswerResult> {
    const key = answersKey(click.eventId, click.questionIndex);
    const state = this.sheets.get(key) ?? (await this.loadSheet(key));
    if (state === undefined) {
      return { accepted: false, reason: refusalWithoutSheet(await this.get(click.eventId), click) };
    }
    const { result, sheet } = recordEventAnswer(state.live, click);
    if (result.accepted && sheet !== undefined) {
      state.live = sheet;
      await this.persist(key, state);
      return result;
    }
    if (!result.accepted && result.reason === 'already-answered') {
      const durable = await this.untilDurable(key, state, click.userId);
      // The first answer was lost with a failed write (that click got an apology): this one is first now.
      if (!durable) return this.recordAnswer(click);
    }
    return result;
  }

  /**
   * Closes the sheet and returns it as final, with every answer acknowledged before the close; none
   * is accepted after. If the write fails the sheet stays closed in memory with its answers, and a
   * retry writes it.
   */
  async closeAnswers(
    eventId: string,
    occurrence: number,
    questionIndex: number,
  ): Promise<AnswerSheet | undefined> {
    const key = answersKey(eventId, questionIndex);
    const state = this.sheets.get(key) ?? (await this.loadSheet(key));
    if (!state || state.live.occurrence !== occurrence) return undefined;
    if (state.durable.closed) return state.durable;
    state.live = { ...state.live, closed: true };
    await this.persist(key, state);
    return state.durable;
  }

  /** The sheets of one occurrence by question index; undefined where none (or an older one) is stored. */
  async answerSheets(
    eventId: string,
    occurrence: number,
    questionCount: number,
  ): Promise<(AnswerSheet | undefined)[]> {
    const sheets = await Promise.all(
      Array.from({ length: questionCount }, async (_, index) => {
        const key = answersKey(eventId, index);
        // What this process wrote last is what the store holds; only other sheets need a read.
        return this.sheets.get(key)?.durable ?? (await this.keyv.get<AnswerSheet>(key));
      }),
    );
    return sheets.map((sheet) => (sheet && sheet.occurrence === occurrence ? sheet : undefined));
  }

  async clearAnswers(eventId: string, questionCount: number): Promise<void> {
    for (let index = 0; index < questionCount; index++) this.sheets.delete(answersKey(eventId, index));
    await Promise.all(
      Array.from({ length: questionCount }, (_, index) => this.keyv.delete(answersKey(eventId, index))),
    );
  }

  // ---- internals ----

  /** Brings a stored sheet into memory, under the sheet's lock so two loads make one state. */
  private async loadSheet(key: string): Promise<SheetState | undefined> {
    return this.lock.run(key, async () => {
      const known = this.sheets.get(key);
      if (known) return known;
      const stored = await this.keyv.get<AnswerSheet>(key);
      if (stored === undefined) return undefined;
      const sheet = await this.withPlace(stored);
      const state: SheetState = { durable: sheet, live: sheet, queued: null };
      this.sheets.set(key, state);
      return state;
    });
  }

  /** Sheets written before they carried their server and channel take them from the event. */
  private async withPlace(sheet: AnswerSheet): Promise<AnswerSheet> {
    if (typeof sheet.guildId === 'string' && typeof sheet.channelId === 'string') return sheet;
    const event = await this.get(sheet.eventId);
    return { ...sheet, guildId: event?.guildId ?? '', channelId: event?.channelId ?? '' };
  }

  /**
   * Group commit: joins the write that has not started yet, or queues one behind the sheet's lock.
   * The write carries `live` as it is when it starts; on failure its answers leave `live` again.
   */
  private persist(key: string, state: SheetState): Promise<void> {
    if (state.queued) return state.queued;
    const write = this.lock.run(key, async () => {
      state.queued = null;
      const snapshot = state.live;
      try {
        await this.keyv.set(key, snapshot);
      } catch (error) {
        state.live = withoutUnwritten(state.live, snapshot, state.durable);
        throw error;
      }
      state.durable = snapshot;
    });
    state.queued = write;
    return write;
  }

  /** Waits until the member's answer is written; false when the write carrying it failed. */
  private async untilDurable(key: string, state: SheetState, userId: string): Promise<boolean> {
    while (!Object.hasOwn(state.durable.answers, userId)) {
      if (!Object.hasOwn(state.live.answers, userId)) return false;
      // Every accepted answer is on the queued write or the one under way: wait for them.
      await (state.queued ?? this.lock.run(key, () => Promise.resolve())).catch(() => undefined);
    }
    return true;
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
      // One key per event: another shard's process may be adding or removing its own meanwhile.
      const activeKey = eventActiveKey(event.id);
      if (active && !(await this.keyv.has(activeKey))) await this.keyv.set(activeKey, event.guildId);
      if (!active) await this.keyv.delete(activeKey);
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
    return (await this.kv.getByPrefix<string>(ACTIVE_PREFIX)).map((entry) => entry.suffix);
  }

  /** Stores written before shards kept one list of active ids: give each its own key, once. */
  private async moveLegacyActiveList(): Promise<void> {
    const legacy = await this.keyv.get<string[]>(LEGACY_ACTIVE_KEY);
    if (legacy === undefined) return;
    await this.lock.run(INDEX_LOCK, async () => {
      for (const id of legacy) {
        const event = await this.get(id);
        if (event !== undefined && isActive(event)) await this.keyv.set(eventActiveKey(id), event.guildId);
      }
      await this.keyv.delete(LEGACY_ACTIVE_KEY);
    });
  }

  private async unusedId(): Promise<string> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const id = this.generateId();
      if (!(await this.keyv.has(eventKey(id)))) return id;
    }
    throw new Error('Could not find an unused quiz event id in 20 attempts.');
  }
}

/** Prefix reads by iterating the Keyv (in-memory stores in tests; the bot passes its store's kv). */
function iteratedPrefixes(keyv: Keyv): Pick<KeyValueStore, 'getByPrefix'> {
  return {
    async getByPrefix<T>(prefix: string) {
      const found: Array<{ suffix: string; value: T }> = [];
      if (keyv.iterator === undefined)
        throw new TypeError('this Keyv store cannot list keys; pass options.kv');
      for await (const [key, value] of keyv.iterator(undefined)) {
        if (typeof key !== 'string' || !key.startsWith(prefix)) continue;
        // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- Keyv values are untyped; the caller names what it stored
        found.push({ suffix: key.slice(prefix.length), value: value as T });
      }
      return found.sort((a, b) => (a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0));
    },
  };
}
