// Review card scheduling: FSRS through ts-fsrs, on a clock the test sets by hand.
import { describe, expect, it } from 'vitest';
import {
  alreadyApplied,
  answerTag,
  applyAnswer,
  decodeCard,
  encodeCard,
  REMEMBERED_ANSWERS,
} from '../../src/study/card.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 12);

describe('applyAnswer', () => {
  it('GIVEN a first answer that is right THEN the question is due days later, not now', () => {
    const card = applyAnswer(undefined, true, T0);
    expect(card.due - T0).toBeGreaterThanOrEqual(DAY);
    expect(card).toMatchObject({ reps: 1, lapses: 0, lastReview: T0, lastCorrect: true });
  });

  it('GIVEN a first answer that is wrong THEN the question is due at once', () => {
    const card = applyAnswer(undefined, false, T0);
    expect(card.due).toBe(T0);
    expect(card.lastCorrect).toBe(false);
  });

  it('GIVEN a miss then a right answer at the same moment THEN it is pushed out by days', () => {
    const missed = applyAnswer(undefined, false, T0);
    const right = applyAnswer(missed, true, T0);
    expect(right.due - T0).toBeGreaterThanOrEqual(DAY);
    expect(right.reps).toBe(2);
  });

  it('GIVEN right answers each time the question comes back THEN the intervals grow', () => {
    let card = applyAnswer(undefined, true, T0);
    const intervals: number[] = [];
    for (let i = 0; i < 4; i++) {
      const at = card.due;
      card = applyAnswer(card, true, at);
      intervals.push(card.due - at);
    }
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]).toBeGreaterThan(intervals[i - 1]!);
  });

  it('GIVEN a lapse after a long interval THEN FSRS counts it, lowers stability, and it is due at once', () => {
    const learned = applyAnswer(applyAnswer(undefined, true, T0), true, T0 + 3 * DAY);
    const lapsed = applyAnswer(learned, false, T0 + 20 * DAY);
    expect(lapsed.lapses).toBe(1);
    expect(lapsed.stability).toBeLessThan(learned.stability);
    expect(lapsed.due).toBe(T0 + 20 * DAY);
    // The next right answer comes back sooner than it would have without the lapse.
    const relearned = applyAnswer(lapsed, true, T0 + 20 * DAY);
    const unlapsed = applyAnswer(learned, true, T0 + 20 * DAY);
    expect(relearned.due).toBeLessThan(unlapsed.due);
  });

  it('GIVEN an answer older than the last one (an event ending late) THEN it counts as given then, without throwing', () => {
    const recent = applyAnswer(undefined, true, T0 + DAY);
    const late = applyAnswer(recent, false, T0);
    expect(late.lastReview).toBe(T0 + DAY);
    expect(late.due).toBe(T0 + DAY);
  });
});

describe('answer tags', () => {
  it('GIVEN an answer applied with a tag THEN the card knows it, keeping the last few', () => {
    const tag = answerTag('practice:ABCDEFGH:0');
    const card = applyAnswer(undefined, true, T0, tag);
    expect(alreadyApplied(card, tag)).toBe(true);
    expect(alreadyApplied(card, answerTag('practice:ABCDEFGH:1'))).toBe(false);
    expect(alreadyApplied(card, null)).toBe(false);
    let later = card;
    for (let i = 0; i < REMEMBERED_ANSWERS; i++)
      later = applyAnswer(later, true, later.due, answerTag(`x:${i}`));
    expect(later.applied).toHaveLength(REMEMBERED_ANSWERS);
    expect(alreadyApplied(later, tag)).toBe(false);
  });

  it('GIVEN ids that differ THEN their tags differ', () => {
    const tags = new Set(Array.from({ length: 1000 }, (_, i) => answerTag(`review:SESSION0${i}:3`)));
    expect(tags.size).toBe(1000);
  });
});

describe('stored cards', () => {
  it('GIVEN a card THEN it reads back the same; GIVEN damaged or foreign values THEN undefined', () => {
    const card = applyAnswer(
      applyAnswer(undefined, false, T0, answerTag('a')),
      true,
      T0 + DAY,
      answerTag('b'),
    );
    const stored = encodeCard(card);
    expect(decodeCard(JSON.parse(JSON.stringify(stored)))).toEqual(card);
    expect(decodeCard(null)).toBeUndefined();
    expect(decodeCard({ ...card })).toBeUndefined();
    expect(decodeCard([2, ...stored.slice(1)])).toBeUndefined();
    expect(decodeCard(stored.slice(0, 5))).toBeUndefined();
    expect(decodeCard([...stored.slice(0, 3), 'x', ...stored.slice(4)])).toBeUndefined();
  });
});
