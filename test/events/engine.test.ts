import { describe, expect, it } from 'vitest';
import {
  LATE_START_GRACE_MS,
  applyStep,
  nextStep,
  revealQuestion,
  selectQuestions,
  tally,
} from '../../src/events/engine.js';
import type { StepOutcome } from '../../src/events/engine.js';
import { newQuizEvent } from '../../src/events/model.js';
import type { AnswerSheet, QuizEvent } from '../../src/events/model.js';
import { QUESTIONS, eventInput } from './fixtures.js';

const START = Date.parse('2026-05-04T18:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;

function scheduled(
  overrides: Parameters<typeof eventInput>[0] = {},
  createdAt = START - 60 * MINUTE,
): QuizEvent {
  return newQuizEvent(eventInput({ startAt: START, ...overrides }), 'ABC123', createdAt);
}

/** Plays the event forward, doing every step the moment it is due, and lists what happened when. */
function playThrough(event: QuizEvent, from: number, until: number): { log: string[]; event: QuizEvent } {
  const log: string[] = [];
  let now = from;
  let current = event;
  while (now <= until) {
    const step = nextStep(current, now);
    if (step.action === 'none') break;
    if (step.action === 'wait') {
      now = step.at;
      continue;
    }
    const offset = (now - START) / SECOND;
    log.push(`${offset}s ${step.action}${'questionIndex' in step ? ` ${step.questionIndex}` : ''}`);
    current = applyStep(current, outcomeFor(step, now, current), now);
  }
  return { log, event: current };
}

function outcomeFor(step: ReturnType<typeof nextStep>, now: number, event: QuizEvent): StepOutcome {
  switch (step.action) {
    case 'post-reminder':
    case 'post-standings':
      return { action: step.action, messageId: 'm' };
    case 'post-intro':
      return { action: 'post-intro', messageId: 'm', questions: QUESTIONS };
    case 'open-question':
      return {
        action: 'open-question',
        questionIndex: step.questionIndex,
        messageId: `q${step.questionIndex}`,
        openedAt: now,
        closesAt: now + event.secondsPerQuestion * SECOND,
      };
    case 'close-question':
      return {
        action: 'close-question',
        questionIndex: step.questionIndex,
        messageId: `r${step.questionIndex}`,
      };
    case 'finish':
      return { action: 'finish', missed: step.missed };
    default:
      throw new Error(`not a due step: ${step.action}`);
  }
}

describe('nextStep and applyStep: a whole event', () => {
  it('GIVEN a scheduled event THEN it waits for the reminder, then runs reminder, intro, three questions, standings', () => {
    const { log, event } = playThrough(scheduled(), START - 60 * MINUTE, START + 10 * MINUTE);
    expect(log).toEqual([
      '-600s post-reminder',
      '0s post-intro',
      '10s open-question 0',
      '15s close-question 0',
      '20s open-question 1',
      '25s close-question 1',
      '30s open-question 2',
      '35s close-question 2',
      '40s post-standings',
      '40s finish',
    ]);
    expect(event.status).toBe('finished');
    expect(event.progress).toMatchObject({
      phase: 'done',
      questionMessageIds: ['q0', 'q1', 'q2'],
      revealMessageIds: ['r0', 'r1', 'r2'],
      missed: false,
    });
    expect(nextStep(event, START + 20 * MINUTE)).toEqual({ action: 'none' });
  });

  it('GIVEN a question limit THEN only the first questions are asked', () => {
    const { log, event } = playThrough(scheduled({ questionLimit: 1 }), START - 60 * MINUTE, START + MINUTE);
    expect(log.filter((line) => line.includes('open-question'))).toEqual(['10s open-question 0']);
    expect(event.questions?.map((question) => question.text)).toEqual(['Q1']);
  });

  it('GIVEN the reminder time had passed when the event was scheduled THEN no reminder is posted', () => {
    const { log } = playThrough(scheduled({}, START - 5 * MINUTE), START - 5 * MINUTE, START + MINUTE);
    expect(log[0]).toBe('0s post-intro');
  });

  it('GIVEN reminders off THEN the first step is the intro', () => {
    expect(nextStep(scheduled({ reminderMinutes: 0 }), START - 30 * MINUTE)).toEqual({
      action: 'wait',
      at: START,
    });
  });

  it('GIVEN the bot was down through the reminder and the start THEN it starts at once without the reminder', () => {
    expect(nextStep(scheduled(), START + 2 * MINUTE)).toEqual({ action: 'post-intro', at: START });
  });

  it('GIVEN the bot was down through the reminder only THEN the reminder is posted late', () => {
    expect(nextStep(scheduled(), START - 2 * MINUTE)).toEqual({
      action: 'post-reminder',
      at: START - 10 * MINUTE,
    });
  });

  it('GIVEN the start was missed by more than the grace period THEN the occurrence is finished as missed', () => {
    const late = START + LATE_START_GRACE_MS + 1;
    const step = nextStep(scheduled(), late);
    expect(step).toEqual({ action: 'finish', at: late, missed: true });
    const finished = applyStep(scheduled(), { action: 'finish', missed: true }, late);
    expect(finished).toMatchObject({ status: 'finished', progress: { phase: 'done', missed: true } });
  });
});

describe('resume after a gap', () => {
  function openQuestion(index: number): QuizEvent {
    let event = applyStep(scheduled(), { action: 'post-intro', messageId: 'i', questions: QUESTIONS }, START);
    event = applyStep(
      event,
      {
        action: 'open-question',
        questionIndex: index,
        messageId: 'q',
        openedAt: START + 10 * SECOND,
        closesAt: START + 15 * SECOND,
      },
      START + 10 * SECOND,
    );
    return event;
  }

  it('GIVEN a question still open THEN the runner waits for its close time', () => {
    expect(nextStep(openQuestion(0), START + 12 * SECOND)).toEqual({
      action: 'wait',
      at: START + 15 * SECOND,
    });
  });

  it('GIVEN a question whose close time passed while the bot was down THEN it is closed at once and the event goes on', () => {
    const backAt = START + 5 * MINUTE;
    const { log } = playThrough(openQuestion(1), backAt, backAt + MINUTE);
    expect(log).toEqual([
      '300s close-question 1',
      '305s open-question 2',
      '310s close-question 2',
      '315s post-standings',
      '315s finish',
    ]);
  });

  it('GIVEN a running event long after its start THEN it is resumed, not skipped as missed', () => {
    expect(nextStep(openQuestion(0), START + 3 * LATE_START_GRACE_MS).action).toBe('close-question');
  });

  it('GIVEN a lecture without questions THEN the intro goes straight to the standings', () => {
    const event = applyStep(scheduled(), { action: 'post-intro', messageId: 'i', questions: [] }, START);
    expect(nextStep(event, START + 10 * SECOND)).toEqual({
      action: 'post-standings',
      at: START + 10 * SECOND,
    });
  });
});

describe('cancel and repeat', () => {
  it('GIVEN a cancelled event THEN nothing is due and steps do not change it', () => {
    const cancelled: QuizEvent = { ...scheduled(), status: 'cancelled' };
    expect(nextStep(cancelled, START)).toEqual({ action: 'none' });
    expect(applyStep(cancelled, { action: 'post-intro', messageId: 'i', questions: QUESTIONS }, START)).toBe(
      cancelled,
    );
  });

  it('GIVEN a daily event THEN finishing schedules the next occurrence at the same local time', () => {
    const { event } = playThrough(scheduled({ repeat: 'daily' }), START - 60 * MINUTE, START + 41 * SECOND);
    expect(event).toMatchObject({
      id: 'ABC123',
      status: 'scheduled',
      occurrence: 2,
      startAt: Date.parse('2026-05-05T18:00:00Z'),
      anchorAt: START,
      questions: null,
      createdAt: START + 40 * SECOND,
      progress: { phase: 'pending', questionIndex: -1, questionMessageIds: [] },
    });
  });

  it('GIVEN a weekly event missed THEN it rolls to next week', () => {
    const late = START + 2 * 60 * MINUTE;
    const next = applyStep(scheduled({ repeat: 'weekly' }), { action: 'finish', missed: true }, late);
    expect(next).toMatchObject({
      status: 'scheduled',
      occurrence: 2,
      startAt: Date.parse('2026-05-11T18:00:00Z'),
    });
  });
});

describe('review nights', () => {
  const sources = QUESTIONS.map((_, index) => ({
    lectureId: `lecture-${index}`,
    set: 0,
    question: index,
    fingerprint: 'fp',
  }));

  it('GIVEN a review night starting THEN it keeps the sources of the questions it asks; its repeat picks afresh', () => {
    const night = scheduled({ lectureId: '', review: { days: 14 }, questionLimit: 2, repeat: 'daily' });
    expect(night).toMatchObject({ review: { days: 14 }, sources: null });
    const started = applyStep(
      night,
      { action: 'post-intro', messageId: 'i', questions: QUESTIONS, sources },
      START,
    );
    expect(started.questions?.map((q) => q.text)).toEqual(['Q1', 'Q2']);
    expect(started.sources).toEqual(sources.slice(0, 2));
    const next = applyStep(
      { ...started, progress: { ...started.progress, phase: 'standings' } },
      { action: 'finish', missed: false },
      START + MINUTE,
    );
    expect(next).toMatchObject({
      status: 'scheduled',
      occurrence: 2,
      questions: null,
      sources: null,
      review: { days: 14 },
    });
  });

  it('GIVEN a lecture event THEN it has no sources', () => {
    const started = applyStep(
      scheduled(),
      { action: 'post-intro', messageId: 'i', questions: QUESTIONS },
      START,
    );
    expect(started.sources).toBeNull();
  });
});

describe('selectQuestions', () => {
  it.each([
    [null, ['Q1', 'Q2', 'Q3']],
    [2, ['Q1', 'Q2']],
    [10, ['Q1', 'Q2', 'Q3']],
  ])('limit %s asks %o', (limit, texts) => {
    expect(selectQuestions(QUESTIONS, limit).map((question) => question.text)).toEqual(texts);
  });
});

describe('tally', () => {
  const answers = (...choices: number[]) => choices.map((choice) => ({ choice }));

  it.each([
    ['nobody answered', [], 3, [0, 0, 0], [0, 0, 0]],
    ['one each of three', [0, 1, 2], 3, [1, 1, 1], [34, 33, 33]],
    ['two to one', [1, 1, 0], 4, [1, 2, 0, 0], [33, 67, 0, 0]],
    ['all the same', [2, 2], 3, [0, 0, 2], [0, 0, 100]],
    ['one in six, five in six', [0, 1, 1, 1, 1, 1], 2, [1, 5], [17, 83]],
    ['three ways of seven', [0, 0, 1, 1, 2, 2, 2], 3, [2, 2, 3], [29, 28, 43]],
    ['a choice out of range is ignored', [0, 7], 2, [1, 0], [100, 0]],
  ])('%s', (_name, choices, answerCount, counts, shares) => {
    const result = tally(answers(...choices), answerCount);
    expect(result.counts).toEqual(counts);
    expect(result.shares).toEqual(shares);
    expect(result.total).toBe(counts.reduce((sum, count) => sum + count, 0));
    if (result.total > 0) expect(result.shares.reduce((sum, share) => sum + share, 0)).toBe(100);
  });

  it('revealQuestion adds the correct answer and how many found it', () => {
    const sheet = {
      answers: { a: { choice: 1, at: 0, ms: 0 }, b: { choice: 0, at: 0, ms: 0 } },
    } as unknown as AnswerSheet;
    expect(revealQuestion(sheet, 0, QUESTIONS[0]!)).toEqual({
      questionIndex: 0,
      correctIndex: 1,
      correctCount: 1,
      counts: [1, 1, 0],
      shares: [50, 50, 0],
      total: 2,
    });
    expect(revealQuestion(undefined, 0, QUESTIONS[0]!).total).toBe(0);
  });
});
