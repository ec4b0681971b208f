// Quiz events and their answers over a Keyv instance (keys in src/store/keys.ts): each event, its
// answer sheets, and two indexes, the guild's active events and every active event. The indexes mean
// listing and resuming never scan the store. Every write is awaited before the method returns, so a
// caller that acknowledges after `recordAnswer` never acknowledges a lost answer.
import type Keyv from 'keyv';
import { checkEventAnswer, refusalWithoutSheet } from './answers.js';
import type { EventClick } from './answers.js';
import { KeyedLock } from '../store/keyed-lock.js';
import type { KeyValueStore } from '../store/index.js';
import {
  EVENTS_ACTIVE_KEY as LEGACY_ACTIVE_KEY,
  EVENTS_ACTIVE_PREFIX as ACTIVE_PREFIX,
  eventActiveKey,
  eventAnswerKey,
  eventAnswerPrefix,
  eventAnswersKey as answersKey,
  eventGuildKey as guildKey,
  eventKey,
} from '../store/keys.js';
import { generateEventId, isActive, newQuizEvent } from './model.js';
import type { AnswerResult, AnswerSheet, NewQuizEventInput, QuizEvent, RecordedAnswer } from './model.js';

/** Discord allows 100 scheduled events per guild; the bot holds itself to the same. */
export const MAX_EVENTS_PER_GUILD = 100;

export type CreateEventResult = { ok: true; event: QuizEvent } | { ok: false; error: string };

export interface EventStoreOptions {
  /** For tests: a predictable id source. */
  generateId?: () => string;
  /**
   * Prefix reads and atomic writes of the store (the bot's); without it the Keyv is iterated and
   * written key by key (tests on a Map).
   */
  kv?: Pick<KeyValueStore, 'getByPrefix' | 'setAtomically'>;
}

const INDEX_LOCK = 'index';

/**
 * An answer sheet in memory. Its settings are one record and each member's answer another, so a write
 * carries only the answers accepted since the last one, however many the question already has.
 */
interface SheetState {
  /** The sheet's record as the store holds it: its settings (and, in sheets written before answers had records of their own, those answers). */
  header: AnswerSheet;
  /** Closed in memory: set by closeAnswers, on disk once `header.closed` is. */
  closed: boolean;
  /** Every answer the store holds, and those accepted since and not yet written: what clicks are checked against. */
  answers: Map<string, RecordedAnswer>;
  /** Members whose answer is on disk. */
  durable: Set<string>;
  /** Members whose accepted answer rides on the next write, in order. */
  unwritten: string[];
  /** The write that has not started yet; answers accepted now ride on it. */
  queued: Promise<void> | null;
}

function sheetState(
  header: AnswerSheet,
  stored: Array<{ suffix: string; value: RecordedAnswer }>,
): SheetState {
  const answers = new Map(Object.entries(header.answers));
  for (const row of stored) answers.set(row.suffix, row.value);
  return {
    header,
    closed: header.closed,
    answers,
    durable: new Set(answers.keys()),
    unwritten: [],
    queued: null,
  };
}

/** The sheet with the answers on disk: what reveals, standings and awards read. */
function durableSheet(state: SheetState): AnswerSheet {
  const answers: Record<string, RecordedAnswer> = {};
  for (const [userId, answer] of state.answers) if (state.durable.has(userId)) answers[userId] = answer;
  return { ...state.header, answers };
}

export class EventStore {
  private readonly lock = new KeyedLock();
  /** The sheets of this process's events, open or closed, until the occurrence ends. */
  private readonly sheets = new Map<string, SheetState>();
  private readonly generateId: () => string;
  private readonly kv: Pick<KeyValueStore, 'getByPrefix' | 'setAtomically'>;

  constructor(
    private readonly keyv: Keyv,
    options: EventStoreOptions = {},
  ) {
    this.generateId = options.generateId ?? (() => generateEventId());
    this.kv = options.kv ?? keyvRecords(keyv);
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
  // An open question's sheet lives in memory (SheetState): what the store holds, plus the answers
  // accepted since and not yet written. Clicks are checked against it (one synchronous step, so
  // exactly once without a lock) and acknowledged only once a write carrying them committed (group
  // commit: a burst of a thousand answers costs a few writes, each carrying only its own answers). A
  // failed write takes its answers back out, so nothing a member was not told is kept and nothing a
  // member was told can be lost.

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
    if (existing && existing.header.occurrence === event.occurrence) return durableSheet(existing);
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
    this.sheets.set(key, sheetState(sheet, []));
    // Earlier runs' answers to this question are read no more: a repeating event keeps one run's.
    // Every other run's, not just the last sheet's: a late write of a run already replaced is swept too.
    const current = `${event.occurrence}:`;
    await this.deleteUnder(
      eventAnswerPrefix(event.id, questionIndex),
      (suffix) => !suffix.startsWith(current),
    );
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
    const checked = checkEventAnswer(
      { ...state.header, closed: state.closed, hasAnswered: (userId) => state.answers.has(userId) },
      click,
    );
    if (checked.accepted) {
      state.answers.set(click.userId, checked.answer);
      state.unwritten.push(click.userId);
      await this.persist(key, state);
      return { accepted: true };
    }
    if (checked.reason === 'already-answered') {
      const durable = await this.untilDurable(key, state, click.userId);
      // The first answer was lost with a failed write (that click got an apology): this one is first now.
      if (!durable) return this.recordAnswer(click);
    }
    return { accepted: false, reason: checked.reason };
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
    if (!state || state.header.occurrence !== occurrence) return undefined;
    if (!state.header.closed) {
      state.closed = true;
      await this.persist(key, state);
    }
    return durableSheet(state);
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
        const known = this.sheets.get(key);
        if (known) return durableSheet(known);
        const stored = await this.readSheet(key);
        return stored && durableSheet(stored);
      }),
    );
    return sheets.map((sheet) => (sheet && sheet.occurrence === occurrence ? sheet : undefined));
  }

  async clearAnswers(eventId: string, questionCount: number): Promise<void> {
    for (let index = 0; index < questionCount; index++) this.sheets.delete(answersKey(eventId, index));
    await Promise.all(
      Array.from({ length: questionCount }, (_, index) => this.keyv.delete(answersKey(eventId, index))),
    );
    await this.deleteUnder(eventAnswerPrefix(eventId));
  }

  // ---- internals ----

  /** Brings a stored sheet into memory, under the sheet's lock so two loads make one state. */
  private async loadSheet(key: string): Promise<SheetState | undefined> {
    return this.lock.run(key, async () => {
      const known = this.sheets.get(key);
      if (known) return known;
      const state = await this.readSheet(key);
      if (state) this.sheets.set(key, state);
      return state;
    });
  }

  /** A stored sheet: its record, and its run's answers from their own records. */
  private async readSheet(key: string): Promise<SheetState | undefined> {
    const stored = await this.keyv.get<AnswerSheet>(key);
    if (stored === undefined) return undefined;
    const header = await this.withPlace(stored);
    const answers = await this.kv.getByPrefix<RecordedAnswer>(
      eventAnswerPrefix(header.eventId, header.questionIndex, header.occurrence),
    );
    return sheetState(header, answers);
  }

  /** Sheets written before they carried their server and channel take them from the event. */
  private async withPlace(sheet: AnswerSheet): Promise<AnswerSheet> {
    if (typeof sheet.guildId === 'string' && typeof sheet.channelId === 'string') return sheet;
    const event = await this.get(sheet.eventId);
    return { ...sheet, guildId: event?.guildId ?? '', channelId: event?.channelId ?? '' };
  }

  /**
   * Group commit: joins the write that has not started yet, or queues one behind the sheet's lock.
   * The write carries the answers accepted before it starts (and the close, if asked for), in one
   * atomic write; on failure its answers leave the sheet again.
   */
  private persist(key: string, state: SheetState): Promise<void> {
    if (state.queued) return state.queued;
    const write = this.lock.run(key, async () => {
      state.queued = null;
      const members = state.unwritten;
      state.unwritten = [];
      const { eventId, questionIndex, occurrence } = state.header;
      const entries: { key: string; value: unknown }[] = members.map((userId) => ({
        key: eventAnswerKey(eventId, questionIndex, occurrence, userId),
        value: state.answers.get(userId),
      }));
      const header = state.closed && !state.header.closed ? { ...state.header, closed: true } : null;
      if (header) entries.push({ key, value: header });
      try {
        await this.kv.setAtomically(entries);
      } catch (error) {
        for (const userId of members) if (!state.durable.has(userId)) state.answers.delete(userId);
        throw error;
      }
      for (const userId of members) state.durable.add(userId);
      if (header) state.header = header;
    });
    state.queued = write;
    return write;
  }

  /** Waits until the member's answer is written; false when the write carrying it failed. */
  private async untilDurable(key: string, state: SheetState, userId: string): Promise<boolean> {
    while (!state.durable.has(userId)) {
      if (!state.answers.has(userId)) return false;
      // Every accepted answer is on the queued write or the one under way: wait for them.
      await (state.queued ?? this.lock.run(key, () => Promise.resolve())).catch(() => undefined);
    }
    return true;
  }

  /** Deletes the records under `prefix` (members' answers of an event or a question) that `doomed` picks. */
  private async deleteUnder(prefix: string, doomed: (suffix: string) => boolean = () => true): Promise<void> {
    const rows = (await this.kv.getByPrefix<unknown>(prefix)).filter((row) => doomed(row.suffix));
    if (rows.length > 0) await this.keyv.deleteMany(rows.map((row) => `${prefix}${row.suffix}`));
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

/**
 * Prefix reads by iterating the Keyv, and writes key by key (in-memory stores in tests; the bot passes
 * its store's kv, which reads a key range and writes several keys in one transaction).
 */
function keyvRecords(keyv: Keyv): Pick<KeyValueStore, 'getByPrefix' | 'setAtomically'> {
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
    async setAtomically(entries) {
      for (const entry of entries) await keyv.set(entry.key, entry.value);
    },
  };
}
