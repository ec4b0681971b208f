// The card store and the study listener over a real (in-memory) store: one range read per member,
// repeats harmless, misses counted per server and day.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QuestionRef } from '../../src/quiz/answer.js';
import type { GradedAnswer } from '../../src/quiz/graded.js';
import { openFreshStore } from '../support/test-store.js';
import type { QuizStore } from '../../src/store/index.js';
import { CardStore } from '../../src/study/card-store.js';
import { StudyListener } from '../../src/study/listener.js';
import { MissedCounter } from '../../src/study/missed.js';
import { questionKey } from '../../src/quiz/answer.js';
import { missedDayKey } from '../../src/store/keys.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 12);
const ref = (question: number, lectureId = 'shell'): QuestionRef => ({
  lectureId,
  set: 0,
  question,
  fingerprint: `fp${question}xxxxx`,
});

function answer(fields: Partial<GradedAnswer> & { question: QuestionRef }): GradedAnswer {
  return {
    guildId: '100',
    userId: '1',
    choice: 0,
    correct: false,
    at: T0,
    source: 'quiz',
    first: true,
    ...fields,
  };
}

let store: QuizStore;
let cards: CardStore;
let missed: MissedCounter;
let listener: StudyListener;
let statements: string[];
beforeEach(async () => {
  store = await openFreshStore();
  cards = new CardStore(store.records);
  missed = new MissedCounter(store.records);
  listener = new StudyListener(cards, missed);
  statements = [];
  // Counts the SQL the store runs, to show reads are ranges, not scans of every member.
  const adapter = store.keyv.store as { query: (sql: string, ...params: unknown[]) => Promise<unknown> };
  const query = adapter.query;
  adapter.query = (sql, ...params) => {
    statements.push(sql);
    return query(sql, ...params);
  };
});
afterEach(async () => {
  await store.close();
});

describe('CardStore', () => {
  it("GIVEN cards of several members and servers THEN a member's read returns only theirs, in one range query", async () => {
    await listener.answerGraded(answer({ question: ref(0) }));
    await listener.answerGraded(answer({ question: ref(1), correct: true }));
    await listener.answerGraded(answer({ question: ref(0), userId: '12' }));
    await listener.answerGraded(answer({ question: ref(0), guildId: '200' }));
    statements = [];
    const mine = await cards.memberCards('100', '1');
    expect(mine.map((entry) => entry.ref)).toEqual([ref(0), ref(1)]);
    expect(mine.map((entry) => entry.card.due === T0)).toEqual([true, false]);
    // SQLite's statements are counted here; on PostgreSQL the store reads through its own pool.
    if (store.kind === 'sqlite') {
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/WHERE key >= \? AND key < \?/);
    }
  });

  it('GIVEN the same event answer reported twice (a retried step) THEN the card moves once', async () => {
    const event = answer({
      question: ref(0),
      correct: true,
      source: 'event',
      event: { id: 'ABC123', occurrence: 1 },
    });
    await listener.answerGraded(event);
    await listener.answerGraded(event);
    const [card] = await cards.cardsFor('100', '1', [ref(0)]);
    expect(card?.reps).toBe(1);
    // The next run of the event is a new answer.
    await listener.answerGraded({ ...event, event: { id: 'ABC123', occurrence: 2 }, at: T0 + DAY });
    expect((await cards.cardsFor('100', '1', [ref(0)]))[0]?.reps).toBe(2);
  });

  it('GIVEN a practice step reported twice THEN once; two clicks on a posted quiz THEN both count', async () => {
    const step = answer({
      question: ref(0),
      source: 'practice',
      first: false,
      answerId: 'practice:ABCDEFGH:0',
    });
    await Promise.all([listener.answerGraded(step), listener.answerGraded(step)]);
    expect((await cards.cardsFor('100', '1', [ref(0)]))[0]?.reps).toBe(1);
    await listener.answerGraded(answer({ question: ref(1) }));
    await listener.answerGraded(answer({ question: ref(1), correct: true, first: false }));
    expect((await cards.cardsFor('100', '1', [ref(1)]))[0]).toMatchObject({ reps: 2, lastCorrect: true });
  });
});

describe('missed questions', () => {
  it('GIVEN scored misses over several days THEN the window counts only its days, most missed first', async () => {
    await listener.answerGraded(answer({ question: ref(0), at: T0 - 20 * DAY }));
    for (const userId of ['1', '2', '3']) await listener.answerGraded(answer({ question: ref(1), userId }));
    await listener.answerGraded(answer({ question: ref(2), userId: '1', at: T0 - 3 * DAY }));
    await listener.answerGraded(answer({ question: ref(2), userId: '2', at: T0 - 2 * DAY }));
    // Not scored misses: a right answer, a second click, practice, another server.
    await listener.answerGraded(answer({ question: ref(3), correct: true }));
    await listener.answerGraded(answer({ question: ref(3), userId: '9', first: false }));
    await listener.answerGraded(
      answer({ question: ref(3), userId: '8', source: 'practice', first: false, answerId: 'p:1' }),
    );
    await listener.answerGraded(answer({ question: ref(3), guildId: '200' }));

    expect(await missed.mostMissed('100', 14, T0)).toEqual([
      { ref: ref(1), misses: 3 },
      { ref: ref(2), misses: 2 },
    ]);
    expect(await missed.mostMissed('100', 1, T0)).toEqual([{ ref: ref(1), misses: 3 }]);
    expect(await missed.mostMissed('100', 30, T0)).toHaveLength(3);
    expect(await missed.mostMissed('200', 14, T0)).toEqual([{ ref: ref(3), misses: 1 }]);
  });

  it('GIVEN a crowd missing at once THEN every miss is counted with far fewer writes than misses', async () => {
    statements = [];
    await Promise.all(Array.from({ length: 300 }, (_, i) => missed.add('100', ref(i % 3), T0)));
    const writes = statements.filter((sql) => /^INSERT/.test(sql)).length;
    expect(await missed.mostMissed('100', 1, T0)).toEqual(
      [0, 1, 2].map((q) => ({ ref: ref(q), misses: 100 })),
    );
    if (store.kind === 'sqlite') expect(writes).toBeLessThan(10);
  });

  it('GIVEN a day with a thousand questions missed THEN one more miss writes only its own count', async () => {
    const written: number[] = [];
    const counter = new MissedCounter({
      ...store.records,
      setAtomically: (entries) => {
        written.push(JSON.stringify(entries).length);
        return store.records.setAtomically(entries);
      },
    });
    for (let start = 0; start < 1_000; start += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => counter.add('100', ref(start + i), T0)));
    }
    written.length = 0;
    await counter.add('100', ref(7), T0);
    expect(written).toHaveLength(1);
    expect(written[0]).toBeLessThan(200);
    const most = await new MissedCounter(store.records).mostMissed('100', 1, T0);
    expect(most).toHaveLength(1_000);
    expect(most[0]).toEqual({ ref: ref(7), misses: 2 });
  });

  it('GIVEN counts kept in one record a day (as before) THEN they are read and new misses add to them', async () => {
    const day = new Date(T0).toISOString().slice(0, 10);
    await store.records.setAtomically([
      { key: missedDayKey('100', day), value: { [questionKey(ref(1))]: 4, [questionKey(ref(2))]: 1 } },
    ]);
    await missed.add('100', ref(2), T0);
    await missed.add('100', ref(2), T0);
    expect(await missed.mostMissed('100', 1, T0)).toEqual([
      { ref: ref(1), misses: 4 },
      { ref: ref(2), misses: 3 },
    ]);
  });

  it('GIVEN a repeated event answer THEN its miss counts once', async () => {
    const event = answer({ question: ref(0), source: 'event', event: { id: 'ABC123', occurrence: 1 } });
    await listener.answerGraded(event);
    await listener.answerGraded(event);
    expect(await missed.mostMissed('100', 1, T0)).toEqual([{ ref: ref(0), misses: 1 }]);
  });
});
