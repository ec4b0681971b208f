// Quiz events survive restarts: one before the event starts and one while a question is open.
// Its own file so it runs alongside events.test.ts.
import { afterEach, expect, it } from 'vitest';
import { buttonStates, channelHas, messageText, option, quizevent } from './events-support.js';
import { TestClock } from '../support/test-clock.js';
import { Harness, alice, bob, carol, embedText, waitUntil } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

it('GIVEN restarts before and during an event THEN it runs, resumes the open question, and loses no acknowledged answer', async () => {
  const clock = new TestClock();
  h = await Harness.start({}, { events: { introSeconds: 0, revealSeconds: 1 }, clock });
  const startAt = Math.ceil((clock.now() + 60_000) / 1000) * 1000;
  const reply = await quizevent(h, 'schedule', [
    option('lecture', 'shell-basics'),
    option('start', new Date(startAt).toISOString()),
    option('seconds', 5),
    option('questions', 1),
  ]);
  expect(reply.text).toContain('1 question · 5 s each');

  // A restart before the start loses nothing: the event is in the store.
  await h.stopBot();
  await h.startBot();

  await clock.advanceTo(startAt);
  const question = (await channelHas(h, 2))[1]!;
  expect(messageText(question)).toContain('Question 1 of 1');
  expect(embedText(await h.click(question, 'B', alice))).toContain('Answer locked in: B');
  expect(embedText(await h.click(question, 'A', bob))).toContain('Answer locked in: A');

  // A restart while the question is open: the new bot picks it up where it was.
  await h.stopBot();
  await h.startBot();
  expect(embedText(await h.click(question, 'B', carol))).toContain('Answer locked in: B');
  // bob's answer from before the restart still counts: his second click is refused.
  expect(embedText(await h.click(question, 'B', bob))).toContain('Your first answer is already locked in.');

  await clock.advanceTo(startAt + 5_000);
  await waitUntil(() => (h.fake.message(question.id)?.edits ?? 0) >= 1);
  const revealed = h.fake.message(question.id)!;
  expect(messageText(revealed)).toContain('▫️ **A.** 1 vote · 33%\n✅ **B.** 2 votes · 67%');
  expect(buttonStates(revealed).map((button) => button.disabled)).toEqual([true, true, true]);

  await clock.advance(1_000);
  const messages = await channelHas(h, 3);
  const board = messageText(messages[2]!);
  expect([...board.matchAll(/<@(\d+)> · (\d)\/1 right/g)].map((m) => [m[1], m[2]])).toEqual([
    [alice.id, '1'],
    [carol.id, '1'],
    [bob.id, '0'],
  ]);
  await waitUntil(() => h.bot!.events.runner.activeEvents().length === 0);
  // Intro, question, standings: nothing was posted twice across the restarts.
  expect(h.fake.channelMessages(h.channelId)).toHaveLength(3);
  expect(embedText((await h.quiz('score', [], alice)).callback)).toContain('Points: 1');
  expect(embedText((await h.quiz('score', [], bob)).callback)).toContain('Points: 0');
});
