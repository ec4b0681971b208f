// A finished event's answers reach the server score exactly once, as the runner writes them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventAwards, eventQuestionKey } from '../../src/events/award.js';
import type { QuizEvent } from '../../src/events/model.js';
import { EventStore } from '../../src/events/store.js';
import { openStore } from '../../src/store/index.js';
import type { QuizStore } from '../../src/store/index.js';
import { QUESTIONS, eventInput } from './fixtures.js';

const GUILD = '200000000000000001';

let quizStore: QuizStore;
let eventStore: EventStore;
beforeEach(async () => {
  quizStore = await openStore('sqlite://:memory:');
  eventStore = new EventStore(quizStore.keyv);
});
afterEach(async () => {
  await quizStore.close();
});

async function finishedEvent(): Promise<QuizEvent> {
  const created = await eventStore.create(eventInput({ guildId: GUILD }), 0);
  if (!created.ok) throw new Error(created.error);
  const event: QuizEvent = { ...created.event, status: 'running', questions: QUESTIONS };
  // Q1 (B right): alice B, bob A. Q2 (A right): alice A.
  const answers: [number, [string, number][]][] = [
    [
      0,
      [
        ['alice', 1],
        ['bob', 0],
      ],
    ],
    [1, [['alice', 0]]],
  ];
  for (const [index, given] of answers) {
    await eventStore.openAnswers(event, index, { openedAt: 0, closesAt: 10_000, answerCount: 3 });
    for (const [userId, choice] of given)
      await eventStore.recordAnswer({
        eventId: event.id,
        occurrence: event.occurrence,
        questionIndex: index,
        userId,
        choice,
        at: 1_000,
        guildId: event.guildId,
        channelId: event.channelId,
      });
  }
  return event;
}

async function writeAwards(event: QuizEvent): Promise<void> {
  const sheets = await eventStore.answerSheets(event.id, event.occurrence, 3);
  for (const awards of eventAwards(event, sheets))
    for (const award of awards) await quizStore.recordAnswer(award);
}

describe('awarding points', () => {
  it('GIVEN a finished event THEN each answer counts once in the server score, even when awarded again', async () => {
    const event = await finishedEvent();
    await writeAwards(event);
    // A crash between awarding and recording the step makes the runner award again.
    await writeAwards(event);

    const alice = await quizStore.getScore(GUILD, 'alice');
    expect(alice?.score).toMatchObject({ points: 2, answered: 2, correct: 2, streak: 2 });
    const bob = await quizStore.getScore(GUILD, 'bob');
    expect(bob?.score).toMatchObject({ points: 0, answered: 1, correct: 0 });
    expect(await quizStore.getAnswer(GUILD, 'alice', `event:${event.id}:1:1`)).toMatchObject({
      choice: 0,
      correct: true,
    });
  });

  it('GIVEN the sheets THEN one list per member, in question order, under keys unique to the occurrence', async () => {
    const event = await finishedEvent();
    const sheets = await eventStore.answerSheets(event.id, event.occurrence, 3);
    const byMember = eventAwards(event, sheets);
    expect(byMember.map((awards) => awards.map((award) => [award.userId, award.questionKey]))).toEqual([
      [
        ['alice', eventQuestionKey(event, 0)],
        ['alice', eventQuestionKey(event, 1)],
      ],
      [['bob', eventQuestionKey(event, 0)]],
    ]);
    expect(eventQuestionKey({ ...event, occurrence: 2 }, 0)).not.toBe(eventQuestionKey(event, 0));
  });
});
