// Review nights end to end: /quizevent schedule review:True builds an event from the server's
// most-missed questions, across lectures, and runs it as any event on a clock the test moves.
import { afterEach, describe, expect, it } from 'vitest';
import { user } from '../../src/sandbox/fake-discord.js';
import type { FakeMessage } from '../../src/sandbox/fake-discord.js';
import { TestClock } from '../support/test-clock.js';
import { channelHas, messageText, option, quizevent } from './events-support.js';
import { Harness, alice, bob, carol, embedText, waitUntil } from './harness.js';
import { runCommand } from './library-support.js';

const TIMING = { introSeconds: 0, revealSeconds: 1 };
const dave = user('500000000000000004', 'dave');

let h: Harness;
let clock: TestClock;
afterEach(async () => {
  await h.close();
});

async function start(): Promise<void> {
  clock = new TestClock(Date.UTC(2026, 2, 2, 12));
  h = await Harness.start({}, { events: TIMING, clock });
}

/**
 * Misses in channel quizzes: the shell's Q1 by three members, git's "What is a branch?" by two,
 * git's "What does a commit record?" by one; the shell's Q2 right by everyone.
 */
async function playQuizzes(): Promise<void> {
  const [shell1, shell2] = await h.startQuiz('shell-basics', 2);
  for (const who of [alice, bob, carol]) {
    await h.click(shell1!, 'A', who);
    await h.click(shell2!, 'A', who);
  }
  const [commit, branch] = await h.startQuiz('git-quiz', 2);
  await h.click(commit!, 'A', alice);
  await h.click(commit!, 'C', bob);
  await h.click(branch!, 'A', alice);
  await h.click(branch!, 'B', bob);
  await h.click(branch!, 'D', carol);
}

describe('/quizevent schedule review:True', () => {
  it('GIVEN misses across lectures THEN the review night asks the most missed first, and its answers score and reach the cards', async () => {
    await start();
    await playQuizzes();
    const startAt = Math.ceil((clock.now() + 10 * 60_000) / 1000) * 1000;
    const reply = await quizevent(h, 'schedule', [
      option('start', new Date(startAt).toISOString()),
      { type: 5, name: 'review', value: true },
      option('questions', 2),
      option('seconds', 5),
      option('reminder', 0),
    ]);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('Quiz event scheduled');
    expect(reply.text).toContain('Review night: most missed of the last 14 days');
    expect(reply.text).toContain('2 questions · 5 s each');
    expect(reply.text).toContain(
      'Right now it would ask 2, from **Getting Around in the Shell**, **Version Control Quiz**.',
    );
    const [discordEvent] = h.fake.scheduledEvents() as { name: string }[];
    expect(discordEvent?.name).toBe('Quiz: Review night: most missed of the last 14 days');

    // The channel already holds the quizzes' questions; the event's messages come after them.
    const before = h.fake.channelMessages(h.channelId).length;
    const posted = async (count: number): Promise<FakeMessage[]> =>
      (await channelHas(h, before + count)).slice(before);
    await clock.advanceTo(startAt);
    const [intro, first] = await posted(2);
    expect(messageText(intro!)).toContain('🔁 Review night: most missed of the last 14 days');
    expect(messageText(intro!)).toContain(
      'The questions this server missed most in the last 14 days, from **Getting Around in the Shell**, **Version Control Quiz**.',
    );
    expect(messageText(first!)).toContain('Question 1 of 2');
    expect(messageText(first!)).toContain('Which command prints the folder you are currently in?');
    expect(messageText(first!)).toContain('From Getting Around in the Shell · Quiz event');
    expect(embedText(await h.click(first!, 'B', alice))).toContain('Answer locked in: B');
    expect(embedText(await h.click(first!, 'A', dave))).toContain('Answer locked in: A');

    await clock.advance(5_000);
    await waitUntil(() => (h.fake.message(first!.id)?.edits ?? 0) >= 1);
    expect(messageText(h.fake.message(first!.id)!)).toContain('2 answers, 1 right');
    await clock.advance(1_000);
    const second = (await posted(3))[2]!;
    expect(messageText(second)).toContain('Question 2 of 2');
    expect(messageText(second)).toContain('What is a branch?');
    expect(messageText(second)).toContain('From Version Control Quiz');
    await h.click(second, 'D', alice);

    await clock.advance(5_000);
    await waitUntil(() => (h.fake.message(second.id)?.edits ?? 0) >= 1);
    await clock.advance(1_000);
    const standings = (await posted(4))[3]!;
    expect(messageText(standings)).toContain('🏆 Standings: Review night: most missed of the last 14 days');
    expect(messageText(standings)).toMatch(new RegExp(`🥇 <@${alice.id}> · 2/2 right`));

    // Points as for any event: alice had 1 from the shell quiz, now 3.
    await waitUntil(() => h.logs.some((line) => line.msg === 'quiz event finished'));
    expect(embedText((await h.quiz('score', [], alice)).callback)).toContain('Points: 3');
    // Her two review-night answers reached the cards of the lecture questions they came from: of
    // her three misses, only "What does a commit record?" is still due.
    const review = (await h.quiz('review', [], alice)).callback;
    expect(review.data?.embeds?.[0]?.title).toBe('Question 1 of 1');
    expect(embedText(review)).toContain('What does a commit record?');
  });

  it('GIVEN too little history THEN it says so and nothing is scheduled', async () => {
    await start();
    const [shell1] = await h.startQuiz('shell-basics', 2);
    await h.click(shell1!, 'A', alice);
    const reply = await quizevent(h, 'schedule', [
      option('start', 'in 1h'),
      { type: 5, name: 'review', value: true },
      option('days', 7),
    ]);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain(
      'Only 1 question was missed in this server in the last 7 days: a review night needs at least 3.',
    );
    expect(await h.bot!.events.store.listByGuild(h.fake.guilds[0]!.id)).toEqual([]);
    expect(h.fake.scheduledEvents()).toEqual([]);
  });

  it('GIVEN misses older than the window THEN they do not count', async () => {
    await start();
    await playQuizzes();
    await clock.advance(15 * 86_400_000);
    const reply = await quizevent(h, 'schedule', [
      option('start', 'in 1h'),
      { type: 5, name: 'review', value: true },
    ]);
    expect(reply.text).toContain('No question was missed in this server in the last 14 days');
  });

  it('GIVEN both a lecture and review:True, or neither THEN a private explanation', async () => {
    await start();
    const both = await quizevent(h, 'schedule', [
      option('start', 'in 1h'),
      option('lecture', 'shell-basics'),
      { type: 5, name: 'review', value: true },
    ]);
    expect(both.text).toContain('Pick a lecture or review:True, not both');
    const neither = await quizevent(h, 'schedule', [option('start', 'in 1h')]);
    expect(neither.text).toContain('Name a lecture, or set review:True');
  });

  it('GIVEN a review night across two lectures THEN /quizstats event shows each question with its own lecture, text and most chosen wrong answer', async () => {
    await start();
    await playQuizzes();
    const startAt = Math.ceil((clock.now() + 60_000) / 1000) * 1000;
    await quizevent(h, 'schedule', [
      option('start', new Date(startAt).toISOString()),
      { type: 5, name: 'review', value: true },
      option('questions', 2),
      option('seconds', 5),
      option('reminder', 0),
    ]);
    const [event] = await h.bot!.events.store.listByGuild(h.fake.guilds[0]!.id);
    const eventId = event?.id ?? '';
    const before = h.fake.channelMessages(h.channelId).length;
    await clock.advanceTo(startAt);
    const posted = async (count: number): Promise<FakeMessage[]> =>
      (await channelHas(h, before + count)).slice(before);
    const first = (await posted(2))[1]!;
    expect(messageText(first)).toContain('Which command prints the folder you are currently in?');
    // The shell's Q1: B (pwd) is right; two of three choose A (ls).
    await h.click(first, 'B', alice);
    await h.click(first, 'A', bob);
    await h.click(first, 'A', dave);
    await clock.advance(5_000);
    await clock.advance(1_000);
    const second = (await posted(3))[2]!;
    expect(messageText(second)).toContain('What is a branch?');
    // git's "What is a branch?": D is right; two of three choose C.
    await h.click(second, 'D', alice);
    await h.click(second, 'C', bob);
    await h.click(second, 'C', carol);
    await clock.advance(5_000);
    await clock.advance(1_000);
    await posted(4);
    await waitUntil(() => h.logs.some((line) => line.msg === 'quiz event finished'));

    const stats = await runCommand(h, 'quizstats', null, [
      option('event', eventId),
      { type: 5, name: 'export', value: true },
    ]);
    expect(stats.embed.title).toBe(
      `Results: Review night: most missed of the last 14 days, event ${eventId}`,
    );
    const blocks = (stats.embed.description ?? '').split('\n\n');
    const block = (label: string): string => blocks.find((text) => text.startsWith(label)) ?? '';
    expect(block('**Q1**')).toContain('(Getting Around in the Shell) · 33% right first time (1 of 3)');
    expect(block('**Q1**')).toContain('> Which command prints the folder you are currently in?');
    expect(block('**Q1**')).toContain(
      'Most chosen wrong answer: **A** `ls` · 67% (2)\n↳ *That one lists the files; it does not say where you are.*',
    );
    expect(block('**Q2**')).toContain('(Version Control Quiz) · 33% right first time (1 of 3)');
    expect(block('**Q2**')).toContain('> What is a branch?');
    expect(block('**Q2**')).toMatch(/Most chosen wrong answer: \*\*C\*\* "[^"]+" · 67% \(2\)/);
    expect(block('**Q2**')).not.toContain('edited since');
    // The CSV names each answer's own lecture and its question there.
    const csv = stats.files.find((file) => file.name === `quizstats-${eventId}-run1.csv`);
    const rows = (csv?.bytes.toString('utf8') ?? '').trimEnd().split('\r\n').slice(1);
    expect(rows.map((row) => row.split(',').slice(1, 5).join(','))).toEqual(
      expect.arrayContaining(['alice,shell-basics,1,B', 'alice,git-quiz,1.2,D', 'carol,git-quiz,1.2,C']),
    );
  });
});
