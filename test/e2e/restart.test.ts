// Buttons and scores survive a restart of the bot: all state is in the custom_id and the store.
import { afterEach, expect, it } from 'vitest';
import { Harness, alice, bob, embedText } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const isCommandsPut = (method: string, path: string): boolean =>
  method === 'PUT' && /^\/applications\/\d+\/commands$/.test(path);

it('GIVEN a restart THEN old buttons still grade, first answers still count once, and scores remain', async () => {
  h = await Harness.start();
  const [first, second] = await h.startQuiz('shell-basics', 2);
  await h.click(first!, 'B', alice);
  await h.click(second!, 'C', alice);

  await h.stopBot();
  await h.startBot();

  // Same definitions, same target: no second registration.
  expect(h.fake.requests.filter((request) => isCommandsPut(request.method, request.path))).toHaveLength(1);

  const again = embedText(await h.click(first!, 'B', alice));
  expect(again).toContain('Correct');
  expect(again).toContain('did not change. You have 1 point.');
  expect(embedText(await h.click(second!, 'A', bob))).toContain('+1 point');

  const score = embedText((await h.quiz('score', [], alice)).callback);
  expect(score).toContain('Points: 1');
  expect(score).toContain('Answered: 2');
  expect(score).toContain('Streak: 0 now, best 1');
});

it('GIVEN a different registration target after a restart THEN the commands are registered again', async () => {
  h = await Harness.start();
  await h.stopBot();
  Object.assign(h, { config: { ...h.config, guildId: h.fake.guilds[0]!.id } });
  await h.startBot();
  expect(
    h.fake.registeredCommands(h.fake.guilds[0]!.id).map((command: { name: string }) => command.name),
  ).toEqual(['quiz', 'quizevent', 'lecture', 'quizstats']);
});
