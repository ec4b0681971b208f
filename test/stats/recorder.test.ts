// The counters behind /quizstats, on a real store: first answers only, each counted once however
// often it is reported, and no update lost when a crowd answers at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GradedAnswer } from '../../src/quiz/graded.js';
import { StatsRecorder } from '../../src/stats/recorder.js';
import { StatsStore } from '../../src/stats/store.js';
import { openStore } from '../../src/store/index.js';
import type { QuizStore } from '../../src/store/index.js';
import { fillDisk } from '../support/faults.js';

let store: QuizStore;
let recorder: StatsRecorder;
let stats: StatsStore;
beforeEach(async () => {
  store = await openStore('sqlite://:memory:', { logger: { warn: () => undefined } });
  recorder = new StatsRecorder(store.table);
  stats = new StatsStore(store.table);
});
afterEach(async () => {
  await store.close();
});

function answer(
  userId: string,
  question: number,
  choice: number,
  extra: Partial<GradedAnswer> = {},
): GradedAnswer {
  return {
    guildId: 'g1',
    userId,
    userName: `name-${userId}`,
    question: { lectureId: 'lec', set: 0, question, fingerprint: 'fp' },
    choice,
    correct: choice === 1,
    at: 1_000 + question,
    source: 'quiz',
    first: true,
    ...extra,
  };
}

describe('StatsRecorder', () => {
  it('GIVEN the same answer reported three times, at once and later THEN it is counted once', async () => {
    const once = answer('u1', 0, 1);
    await Promise.all([recorder.answerGraded(once), recorder.answerGraded({ ...once })]);
    await recorder.answerGraded({ ...once, choice: 2, correct: false });
    expect(await stats.lecture('g1', 'lec')).toEqual({
      participants: 1,
      answers: 1,
      right: 1,
      questions: { '0:0:fp': { answers: 1, right: 1, choices: [0, 1] } },
    });
  });

  it('GIVEN answers that did not score (not first, practice) THEN nothing is counted', async () => {
    await recorder.answerGraded(answer('u1', 0, 1, { first: false }));
    await recorder.answerGraded(answer('u2', 0, 1, { source: 'practice' }));
    expect(await stats.lecture('g1', 'lec')).toBeUndefined();
  });

  it('GIVEN 500 members answering 4 questions at once THEN every answer is counted, none twice', async () => {
    const all = Array.from({ length: 500 }, (_, member) =>
      Array.from({ length: 4 }, (_, question) => answer(`u${member}`, question, (member + question) % 3)),
    ).flat();
    await Promise.all([...all, ...all.slice(0, 100)].map((graded) => recorder.answerGraded(graded)));
    const lecture = await stats.lecture('g1', 'lec');
    expect(lecture?.participants).toBe(500);
    expect(lecture?.answers).toBe(2000);
    expect(lecture?.right).toBe(all.filter((graded) => graded.correct).length);
    expect(Object.values(lecture?.questions ?? {}).map((counts) => counts.answers)).toEqual([
      500, 500, 500, 500,
    ]);
    const members = await stats.lectureMembers('g1', 'lec');
    expect(members).toHaveLength(500);
    expect(members.every(({ record }) => Object.keys(record.answers).length === 4)).toBe(true);
  });

  it('GIVEN event answers THEN the run has its own counters and members, and the lecture counts each member once per question', async () => {
    const event = (userId: string, question: number, choice: number, occurrence: number): GradedAnswer =>
      answer(userId, question, choice, { source: 'event', event: { id: 'K7Q2MX', occurrence, ms: 1500 } });
    await recorder.answerGraded(answer('u1', 0, 1));
    await recorder.answerGraded(event('u1', 0, 2, 1));
    await recorder.answerGraded(event('u2', 0, 1, 1));
    await recorder.answerGraded(event('u2', 0, 1, 1));
    await recorder.answerGraded(event('u2', 0, 0, 2));
    expect(await stats.occurrence('g1', 'K7Q2MX', 1)).toMatchObject({
      participants: 2,
      answers: 2,
      right: 1,
      lectureId: 'lec',
    });
    expect(await stats.occurrence('g1', 'K7Q2MX', 2)).toMatchObject({
      participants: 1,
      answers: 1,
      right: 0,
    });
    expect(await stats.lecture('g1', 'lec')).toMatchObject({ participants: 2, answers: 2, right: 2 });
    const runs = await stats.occurrenceMembers('g1', 'K7Q2MX', 1);
    expect(runs.map(({ userId, record }) => [userId, record.right, record.ms])).toEqual([
      ['u1', 0, 1500],
      ['u2', 1, 1500],
    ]);
    expect((await stats.recentOccurrences('g1')).map((entry) => entry.occurrence)).toEqual([2, 1]);
  });

  it('GIVEN a full disk THEN the report rejects and nothing is half-counted; once freed the retry counts it', async () => {
    const disk = fillDisk(store);
    await expect(recorder.answerGraded(answer('u1', 0, 1))).rejects.toThrow('SQLITE_FULL');
    expect(await stats.lecture('g1', 'lec')).toBeUndefined();
    expect(await stats.lectureMembers('g1', 'lec')).toEqual([]);
    disk.free();
    await recorder.answerGraded(answer('u1', 0, 1));
    expect((await stats.lecture('g1', 'lec'))?.answers).toBe(1);
  });
});
