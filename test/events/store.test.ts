import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventClick } from '../../src/events/answers.js';
import type { QuizEvent } from '../../src/events/model.js';
import { EventStore, MAX_EVENTS_PER_GUILD } from '../../src/events/store.js';
import { openStore } from '../../src/store/index.js';
import { eventAnswersKey } from '../../src/store/keys.js';
import { eventInput } from './fixtures.js';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const START = Date.parse('2026-05-04T18:00:00Z');

async function created(
  store: EventStore,
  overrides: Parameters<typeof eventInput>[0] = {},
): Promise<QuizEvent> {
  const result = await store.create(eventInput(overrides), NOW);
  if (!result.ok) throw new Error(result.error);
  return result.event;
}

/** Opens question `index` of the event for 5 seconds from START. */
async function open(store: EventStore, event: QuizEvent, index = 0, answerCount = 3) {
  return store.openAnswers(event, index, { openedAt: START, closesAt: START + 5_000, answerCount });
}

describe('EventStore: events and indexes', () => {
  it('GIVEN events in two guilds THEN each guild lists its own, soonest first, and all are active', async () => {
    const keyv = new Keyv();
    const store = new EventStore(keyv);
    const later = await created(store, { startAt: START + 3_600_000 });
    const sooner = await created(store, { startAt: START });
    const elsewhere = await created(store, { guildId: 'guild-2' });

    expect((await store.listByGuild('guild-1')).map((event) => event.id)).toEqual([sooner.id, later.id]);
    expect((await store.listByGuild('guild-2')).map((event) => event.id)).toEqual([elsewhere.id]);
    expect(await store.listByGuild('guild-3')).toEqual([]);
    expect(await store.listActive()).toHaveLength(3);
    expect(await keyv.get('quizevent-guild:guild-1')).toEqual([later.id, sooner.id]);
    expect(await store.get(sooner.id)).toEqual(sooner);
  });

  it('GIVEN a new event THEN it has a 6-character base32 id and starts scheduled', async () => {
    const event = await created(new EventStore(new Keyv()));
    expect(event.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(event).toMatchObject({ status: 'scheduled', occurrence: 1, createdAt: NOW, anchorAt: START });
  });

  it('GIVEN an id that is taken THEN another one is drawn', async () => {
    const ids = ['AAAAAA', 'AAAAAA', 'BBBBBB'];
    const store = new EventStore(new Keyv(), { generateId: () => ids.shift() ?? 'ZZZZZZ' });
    expect((await created(store)).id).toBe('AAAAAA');
    expect((await created(store)).id).toBe('BBBBBB');
  });

  it(`GIVEN ${MAX_EVENTS_PER_GUILD} upcoming events THEN another is refused until one is cancelled`, async () => {
    const store = new EventStore(new Keyv());
    const events = await Promise.all(
      Array.from({ length: MAX_EVENTS_PER_GUILD + 5 }, () => store.create(eventInput(), NOW)),
    );
    expect(events.filter((result) => result.ok)).toHaveLength(MAX_EVENTS_PER_GUILD);
    const refused = events.find((result) => !result.ok);
    expect(refused?.ok === false ? refused.error : '').toMatch(/already has 100 upcoming quiz events/);

    expect((await created(store, { guildId: 'guild-2' })).guildId).toBe('guild-2');
    const first = events[0];
    if (!first?.ok) throw new Error('first create failed');
    await store.cancel(first.event.id);
    expect((await store.create(eventInput(), NOW)).ok).toBe(true);
  });

  it('GIVEN a cancel THEN the event leaves the lists, keeps its record, and cannot be cancelled twice', async () => {
    const store = new EventStore(new Keyv());
    const event = await created(store);
    expect(await store.cancel(event.id, 'guild-2')).toBeUndefined();
    expect(await store.cancel(event.id, 'guild-1')).toMatchObject({ id: event.id, status: 'cancelled' });
    expect(await store.cancel(event.id)).toBeUndefined();
    expect(await store.listByGuild('guild-1')).toEqual([]);
    expect(await store.listActive()).toEqual([]);
    expect((await store.get(event.id))?.status).toBe('cancelled');
  });

  it('GIVEN a finished event saved THEN it leaves the lists; remove deletes it', async () => {
    const store = new EventStore(new Keyv());
    const event = await created(store);
    await store.save({ ...event, status: 'finished' });
    expect(await store.listActive()).toEqual([]);
    expect(await store.remove(event.id)).toBe(true);
    expect(await store.get(event.id)).toBeUndefined();
    expect(await store.remove(event.id)).toBe(false);
  });

  it('GIVEN update THEN the change applies to the stored copy; a missing event gives undefined', async () => {
    const store = new EventStore(new Keyv());
    const event = await created(store);
    await store.update(event.id, (current) => ({ ...current, discordEventId: 'discord-1' }));
    expect((await store.get(event.id))?.discordEventId).toBe('discord-1');
    expect(await store.update('NOPE00', (current) => current)).toBeUndefined();
  });
});

/** A click on question `index` of `event`, from the event's own server and channel. */
function click(
  event: QuizEvent,
  index: number,
  userId: string,
  choice: number,
  at: number,
  occurrence = event.occurrence,
): EventClick {
  return {
    eventId: event.id,
    occurrence,
    questionIndex: index,
    userId,
    choice,
    at,
    guildId: event.guildId,
    channelId: event.channelId,
  };
}

describe('EventStore: answers', () => {
  it('GIVEN a question not opened THEN answers are refused as not open', async () => {
    const store = new EventStore(new Keyv());
    const event = await created(store);
    expect(await store.recordAnswer(click(event, 0, 'alice', 1, START))).toEqual({
      accepted: false,
      reason: 'not-open',
    });
  });

  it('GIVEN an open question THEN the first answer counts, a second is refused, and after the close all are refused', async () => {
    const store = new EventStore(new Keyv());
    const event = await created(store);
    await open(store, event);
    expect(await store.recordAnswer(click(event, 0, 'alice', 1, START + 1_000))).toEqual({ accepted: true });
    expect(await store.recordAnswer(click(event, 0, 'alice', 2, START + 1_500))).toEqual({
      accepted: false,
      reason: 'already-answered',
    });
    expect(await store.recordAnswer(click(event, 0, 'bob', 2, START + 1_500, 1))).toEqual({ accepted: true });
    const closed = await store.closeAnswers(event.id, 1, 0);
    expect(closed?.answers).toEqual({
      alice: { choice: 1, at: START + 1_000, ms: 1_000 },
      bob: { choice: 2, at: START + 1_500, ms: 1_500 },
    });
    // Closed by the runner: refused even with a timestamp inside the window.
    expect(await store.recordAnswer(click(event, 0, 'carol', 0, START + 2_000))).toEqual({
      accepted: false,
      reason: 'closed',
    });
  });

  it('GIVEN the same member clicking twenty times at once THEN exactly one answer is accepted', async () => {
    const store = new EventStore(new Keyv());
    const event = await created(store);
    await open(store, event);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.recordAnswer(click(event, 0, 'alice', i % 3, START + 100 + i)),
      ),
    );
    expect(results.filter((result) => result.accepted)).toHaveLength(1);
    const [sheet] = await store.answerSheets(event.id, 1, 1);
    expect(sheet?.answers.alice).toEqual({ choice: 0, at: START + 100, ms: 100 });
  });

  it('GIVEN fifty members answering at once THEN every acknowledged answer is stored (no lost update)', async () => {
    const store = new EventStore(new Keyv());
    const event = await created(store);
    await open(store, event);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.recordAnswer(click(event, 0, `user${i}`, i % 3, START + i))),
    );
    expect(results.every((result) => result.accepted)).toBe(true);
    const [sheet] = await store.answerSheets(event.id, 1, 1);
    expect(Object.keys(sheet?.answers ?? {})).toHaveLength(50);
  });

  it('GIVEN a question opened again after a restart THEN the sheet and its answers are kept', async () => {
    const store = new EventStore(new Keyv());
    const event = await created(store);
    await open(store, event);
    await store.recordAnswer(click(event, 0, 'alice', 1, START + 1_000));
    const again = await store.openAnswers(event, 0, {
      openedAt: START + 9_000,
      closesAt: START + 14_000,
      answerCount: 3,
    });
    expect(again).toMatchObject({
      openedAt: START,
      closesAt: START + 5_000,
      answers: { alice: { choice: 1 } },
    });
  });

  it('GIVEN the next occurrence of a repeating event THEN last time’s sheets are replaced and old clicks are stale', async () => {
    const keyv = new Keyv();
    const answerRecords = async () => {
      const keys: string[] = [];
      if (keyv.iterator === undefined) throw new Error('a Keyv over a Map lists its keys');
      for await (const [key] of keyv.iterator(undefined)) {
        if (typeof key === 'string' && key.startsWith('quizevent-answer:')) keys.push(key);
      }
      return keys;
    };
    const store = new EventStore(keyv);
    const event = await created(store);
    await open(store, event);
    await store.recordAnswer(click(event, 0, 'alice', 1, START + 1_000));
    const second = { ...event, occurrence: 2 };
    expect(await store.answerSheets(event.id, 2, 1)).toEqual([undefined]);
    expect(await answerRecords()).toHaveLength(1);
    await store.openAnswers(second, 0, { openedAt: START, closesAt: START + 5_000, answerCount: 3 });
    // Last time's answer records go with last time's sheet.
    expect(await answerRecords()).toEqual([]);
    expect(await store.recordAnswer(click(event, 0, 'alice', 1, START + 1_000, 1))).toEqual({
      accepted: false,
      reason: 'stale',
    });
    expect(await store.recordAnswer(click(event, 0, 'alice', 1, START + 1_000, 2))).toEqual({
      accepted: true,
    });
    await store.clearAnswers(event.id, 1);
    expect(await store.answerSheets(event.id, 2, 1)).toEqual([undefined]);
    expect(await answerRecords()).toEqual([]);
  });
});

describe('EventStore over SQLite', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('GIVEN events and answers written THEN a reopened database still has them', async () => {
    dir = mkdtempSync(join(tmpdir(), 'quizevents-'));
    const uri = `sqlite://${join(dir, 'events.sqlite')}`;

    const first = new Keyv({ store: new KeyvSqlite(uri) });
    const store = new EventStore(first);
    const event = await created(store, { repeat: 'weekly' });
    const cancelled = await created(store);
    await store.cancel(cancelled.id);
    await open(store, event);
    expect(await store.recordAnswer(click(event, 0, 'alice', 2, START + 2_000))).toEqual({ accepted: true });
    await first.disconnect();

    const second = new Keyv({ store: new KeyvSqlite(uri) });
    const reopened = new EventStore(second);
    expect(await reopened.listActive()).toEqual([event]);
    expect((await reopened.get(cancelled.id))?.status).toBe('cancelled');
    const [sheet] = await reopened.answerSheets(event.id, 1, 1);
    expect(sheet?.answers).toEqual({ alice: { choice: 2, at: START + 2_000, ms: 2_000 } });
    expect(await reopened.recordAnswer(click(event, 0, 'alice', 0, START + 3_000))).toEqual({
      accepted: false,
      reason: 'already-answered',
    });
    await second.disconnect();
  });

  it('GIVEN a crowd of 1,000 answering one question at once THEN each counts once, the close has them all, and they survive a reopen', async () => {
    dir = mkdtempSync(join(tmpdir(), 'quizevents-'));
    const url = `sqlite://${join(dir, 'events.sqlite')}`;
    const first = await openStore(url, { logger: { warn: () => undefined } });
    const store = new EventStore(first.keyv, { kv: first.kv });
    const event = await created(store);
    await open(store, event);

    const members = Array.from({ length: 1_000 }, (_, index) => `member${index}`);
    const results = await Promise.all(
      [...members, ...members].map((member, index) =>
        store.recordAnswer(click(event, 0, member, index % 3, START + 1_000)),
      ),
    );
    expect(results.filter((result) => result.accepted)).toHaveLength(1_000);
    expect(results.filter((result) => !result.accepted && result.reason === 'already-answered')).toHaveLength(
      1_000,
    );

    const closed = await store.closeAnswers(event.id, event.occurrence, 0);
    expect(Object.keys(closed?.answers ?? {})).toHaveLength(1_000);
    expect(await store.recordAnswer(click(event, 0, 'late', 0, START + 1_000))).toEqual({
      accepted: false,
      reason: 'closed',
    });
    await first.close();

    const second = await openStore(url, { logger: { warn: () => undefined } });
    const [sheet] = await new EventStore(second.keyv, { kv: second.kv }).answerSheets(
      event.id,
      event.occurrence,
      1,
    );
    expect(sheet?.closed).toBe(true);
    expect(Object.keys(sheet?.answers ?? {})).toHaveLength(1_000);
    await second.close();
  });

  it('GIVEN a question with 2,000 answers THEN one more answer writes only its own record', async () => {
    dir = mkdtempSync(join(tmpdir(), 'quizevents-'));
    const opened = await openStore(`sqlite://${join(dir, 'events.sqlite')}`, {
      logger: { warn: () => undefined },
    });
    const written: number[] = [];
    const store = new EventStore(opened.keyv, {
      kv: {
        getByPrefix: (prefix, options) => opened.kv.getByPrefix(prefix, options),
        setAtomically: (entries) => {
          written.push(JSON.stringify(entries).length);
          return opened.kv.setAtomically(entries);
        },
      },
    });
    const event = await created(store);
    await open(store, event);
    for (let start = 0; start < 2_000; start += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          store.recordAnswer(click(event, 0, `m${start + i}`, 1, START + 1_000)),
        ),
      );
    }
    written.length = 0;
    expect(await store.recordAnswer(click(event, 0, 'last', 2, START + 2_000))).toEqual({ accepted: true });
    expect(written).toHaveLength(1);
    expect(written[0]).toBeLessThan(200);
    const [sheet] = await new EventStore(opened.keyv, { kv: opened.kv }).answerSheets(
      event.id,
      event.occurrence,
      1,
    );
    expect(Object.keys(sheet?.answers ?? {})).toHaveLength(2_001);
    expect(sheet?.answers.last).toEqual({ choice: 2, at: START + 2_000, ms: 2_000 });
    await opened.close();
  });

  it('GIVEN a sheet stored with its answers inside (as before answers had records of their own) THEN they count, and new ones add to them', async () => {
    const keyv = new Keyv();
    const store = new EventStore(keyv);
    const event = await created(store);
    const sheet = await open(store, event);
    await keyv.set(eventAnswersKey(event.id, 0), {
      ...sheet,
      answers: { alice: { choice: 1, at: START + 1_000, ms: 1_000 } },
    });
    const reopened = new EventStore(keyv);
    expect(await reopened.recordAnswer(click(event, 0, 'alice', 0, START + 1_500))).toEqual({
      accepted: false,
      reason: 'already-answered',
    });
    expect(await reopened.recordAnswer(click(event, 0, 'bob', 2, START + 2_000))).toEqual({ accepted: true });
    const closed = await reopened.closeAnswers(event.id, event.occurrence, 0);
    expect(closed?.answers).toEqual({
      alice: { choice: 1, at: START + 1_000, ms: 1_000 },
      bob: { choice: 2, at: START + 2_000, ms: 2_000 },
    });
    const [stored] = await new EventStore(keyv).answerSheets(event.id, event.occurrence, 1);
    expect(stored?.answers).toEqual(closed?.answers);
  });
});
