// The pure rules of an event click: what counts, and why a click that does not count was refused.
import { describe, expect, it } from 'vitest';
import { checkEventAnswer, refusalWithoutSheet } from '../../src/events/answers.js';
import type { EventClick, OpenSheet } from '../../src/events/answers.js';
import { newQuizEvent } from '../../src/events/model.js';
import type { AnswerSheet, QuizEvent } from '../../src/events/model.js';
import { eventInput } from './fixtures.js';

const sheet: AnswerSheet = {
  eventId: 'ABC123',
  guildId: 'guild-1',
  channelId: 'channel-1',
  occurrence: 1,
  questionIndex: 0,
  answerCount: 3,
  openedAt: 1_000,
  closesAt: 6_000,
  closed: false,
  answers: { alice: { choice: 0, at: 2_000, ms: 1_000 } },
};

/** The sheet as the store offers it to a click: its settings, and who has answered. */
function openSheet(held: AnswerSheet): OpenSheet {
  return { ...held, hasAnswered: (userId) => Object.hasOwn(held.answers, userId) };
}

function click(fields: Partial<EventClick> = {}): EventClick {
  return {
    eventId: 'ABC123',
    occurrence: 1,
    questionIndex: 0,
    userId: 'bob',
    choice: 1,
    at: 2_000,
    guildId: 'guild-1',
    channelId: 'channel-1',
    ...fields,
  };
}

describe('checkEventAnswer', () => {
  it('GIVEN a first answer in time THEN it is accepted with the time taken', () => {
    expect(checkEventAnswer(openSheet(sheet), click({ choice: 2, at: 3_500 }))).toEqual({
      accepted: true,
      answer: { choice: 2, at: 3_500, ms: 2_500 },
    });
  });

  it.each([
    ['no sheet: the question never opened', undefined, {}, 'not-open'],
    ['a second answer', sheet, { userId: 'alice', at: 2_500 }, 'already-answered'],
    ['an answer at the close time', sheet, { at: 6_000 }, 'closed'],
    ['an answer after the close time', sheet, { at: 9_000 }, 'closed'],
    ['an answer on a closed sheet', { ...sheet, closed: true }, {}, 'closed'],
    ['a choice past the last answer', sheet, { choice: 3 }, 'invalid-choice'],
    ['a negative choice', sheet, { choice: -1 }, 'invalid-choice'],
    ['a click from an earlier occurrence', sheet, { occurrence: 0 }, 'stale'],
    ['a click from another server', sheet, { guildId: 'guild-2' }, 'elsewhere'],
    ['a click from another channel', sheet, { channelId: 'channel-2' }, 'elsewhere'],
    ['a second answer from another server', sheet, { userId: 'alice', guildId: 'guild-2' }, 'elsewhere'],
  ] as const)('GIVEN %s THEN it is refused', (_name, given, fields, reason) => {
    expect(checkEventAnswer(given && openSheet(given), click(fields))).toEqual({ accepted: false, reason });
  });
});

describe('refusalWithoutSheet', () => {
  const scheduled = newQuizEvent(eventInput(), 'ABC123', 0);
  const running: QuizEvent = {
    ...scheduled,
    status: 'running',
    progress: { ...scheduled.progress, phase: 'question', questionIndex: 1 },
  };
  const at = (event: QuizEvent, fields: Partial<EventClick>) => refusalWithoutSheet(event, click(fields));

  it('names each case in words that fit it', () => {
    expect(refusalWithoutSheet(undefined, click())).toBe('unknown-event');
    expect(at(running, { guildId: 'guild-2' })).toBe('elsewhere');
    expect(at({ ...running, status: 'cancelled' }, {})).toBe('cancelled');
    expect(at({ ...running, status: 'finished' }, {})).toBe('ended');
    expect(at({ ...scheduled, occurrence: 2 }, {})).toBe('stale');
    expect(at(scheduled, {})).toBe('not-open');
    expect(at(running, { questionIndex: 2 })).toBe('not-open');
    expect(at(running, { questionIndex: 0 })).toBe('closed');
  });
});
