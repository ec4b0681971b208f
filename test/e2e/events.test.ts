// /quizevent end to end: the real bot against the fake Discord, on a clock the test moves, so a
// whole event (5-second questions, a 1-second pause after each reveal) runs without waiting.
import { afterEach, describe, expect, it } from 'vitest';
import { MEMBER_PERMISSIONS, user } from '../../src/sandbox/fake-discord.js';
import { buttonStates, channelHas, messageText, moderator, option, quizevent } from './events-support.js';
import { TestClock } from '../support/test-clock.js';
import { Harness, alice, bob, buttonId, carol, embedText, waitUntil } from './harness.js';

const TIMING = { introSeconds: 0, revealSeconds: 1 };

/** Starts the bot on a clock of its own, which each test moves. */
async function start(
  options: Parameters<typeof Harness.start>[1] = {},
): Promise<{ h: Harness; clock: TestClock }> {
  const clock = new TestClock();
  return { h: await Harness.start({}, { events: TIMING, clock, ...options }), clock };
}

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function nothingSaved(): Promise<void> {
  expect(await h.bot!.events.store.listByGuild(h.fake.guilds[0]!.id)).toEqual([]);
  expect(h.fake.scheduledEvents()).toEqual([]);
  expect(h.fake.channelMessages(h.channelId)).toEqual([]);
}

describe('a scheduled event', () => {
  it('GIVEN an event a minute ahead THEN intro, questions with countdowns, one-edit reveals with the room vote, standings, and points in /quiz score', async () => {
    let clock: TestClock;
    ({ h, clock } = await start());
    // Start times are read to the second.
    const startAt = Math.ceil((clock.now() + 60_000) / 1000) * 1000;
    const reply = await quizevent(h, 'schedule', [
      option('lecture', 'shell-basics'),
      option('start', new Date(startAt).toISOString()),
      option('seconds', 5),
    ]);
    expect(reply.ephemeral).toBe(true);
    const seconds = Math.floor(startAt / 1000);
    expect(reply.text).toContain('Quiz event scheduled');
    expect(reply.text).toContain(`<t:${seconds}:F> (<t:${seconds}:R>)`);
    expect(reply.text).toContain('2 questions · 5 s each');
    expect(reply.text).toContain('A Discord event was created too');
    const eventId = /Event id ([0-9A-Z]{6})/.exec(reply.text)?.[1];
    expect(eventId).toBeDefined();

    // The Discord scheduled event: external, at the channel, from the start to an estimated end.
    const [discordEvent] = h.fake.scheduledEvents() as { id: string; scheduled_end_time: string }[];
    expect(discordEvent).toMatchObject({
      name: 'Quiz: Getting Around in the Shell',
      entity_type: 3,
      privacy_level: 2,
      entity_metadata: { location: '#quiz' },
      scheduled_start_time: new Date(startAt).toISOString(),
    });
    expect(Date.parse(discordEvent!.scheduled_end_time)).toBeGreaterThan(startAt);

    // Nothing before the start; at the start the intro and (no reading time) the first question.
    await clock.advance(startAt - 1 - clock.now());
    expect(h.fake.channelMessages(h.channelId)).toEqual([]);
    await clock.advance(1);
    const [intro, first] = await channelHas(h, 2);
    expect(messageText(intro!)).toContain('Getting Around in the Shell');
    expect(messageText(intro!)).toContain('The shell is a program');
    expect(messageText(intro!)).toMatch(/2 questions · 5 seconds each\nFirst question <t:\d+:R>/);

    expect(messageText(first!)).toContain('Question 1 of 2');
    expect(messageText(first!)).toMatch(/Closes <t:\d+:R>/);
    expect(buttonStates(first!).map((b) => b.label)).toEqual(['A. ls', 'B. pwd', 'C. cd']);
    expect(buttonId(first!, 'B')).toBe(`q1|e|${eventId}|1|0|1`);

    // Answers are acknowledged privately; one per member; the message is never edited per click.
    await clock.advance(1_000);
    const locked = await h.click(first!, 'B', alice);
    expect(locked.data?.flags).toBe(64);
    expect(embedText(locked)).toContain('Answer locked in: B');
    await clock.advance(1_000);
    expect(embedText(await h.click(first!, 'A', bob))).toContain('Answer locked in: A');
    expect(embedText(await h.click(first!, 'B', carol))).toContain('Answer locked in: B');
    expect(embedText(await h.click(first!, 'C', alice))).toContain('Your first answer is already locked in.');
    expect(h.fake.message(first!.id)?.edits).toBe(0);

    // Time's up: one edit with buttons disabled, the right one green, the vote, the feedback.
    await clock.advance(3_000);
    await waitUntil(() => (h.fake.message(first!.id)?.edits ?? 0) >= 1);
    const revealed = h.fake.message(first!.id)!;
    expect(revealed.edits).toBe(1);
    expect(buttonStates(revealed)).toEqual([
      { label: 'A. ls', style: 2, disabled: true },
      { label: 'B. pwd', style: 3, disabled: true },
      { label: 'C. cd', style: 2, disabled: true },
    ]);
    const reveal = messageText(revealed);
    expect(reveal).toContain("Question 1 of 2 · time's up");
    expect(reveal).toContain('▫️ **A.** 1 vote · 33%\n✅ **B.** 2 votes · 67%\n▫️ **C.** 0 votes · 0%');
    expect(reveal).toContain('Why B is right: Right: pwd stands for "print working directory".');
    expect(reveal).toContain('3 answers, 2 right');
    const late = user('500000000000000004', 'dave');
    expect(embedText(await h.click(revealed, 'A', late))).toContain("Time's up: this question is closed.");

    // Question 2 (A is right) after the 1-second pause: alice and bob answer, carol does not.
    await clock.advance(1_000);
    const second = (await channelHas(h, 3))[2]!;
    expect(messageText(second)).toContain('Question 2 of 2');
    await h.click(second, 'A', alice);
    await h.click(second, 'A', bob);

    // Standings: alice 2 right; bob and carol 1 each, and carol's skipped question costs her its
    // full 5 seconds, so bob ranks above her.
    await clock.advance(5_000);
    await waitUntil(() => (h.fake.message(second.id)?.edits ?? 0) >= 1);
    await clock.advance(1_000);
    const standings = (await channelHas(h, 4))[3]!;
    const board = messageText(standings);
    expect(board).toContain('🏆 Standings: Getting Around in the Shell');
    const order = [...board.matchAll(/^(\S+) <@(\d+)> · (\d)\/2 right/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(order).toEqual([
      ['🥇', alice.id, '2'],
      ['🥈', bob.id, '1'],
      ['🥉', carol.id, '1'],
    ]);
    expect(board).toContain('3 participants');
    expect(h.fake.message(second.id)?.edits).toBe(1);

    // The Discord event is completed; the event's answers count in the server score, once.
    await h.fake.waitForRequest(
      (r) =>
        r.method === 'PATCH' &&
        r.path.endsWith(`/scheduled-events/${discordEvent!.id}`) &&
        (r.body as { status?: number } | undefined)?.status === 3,
    );
    await waitUntil(() => h.bot!.events.runner.activeEvents().length === 0);
    const score = embedText((await h.quiz('score', [], alice)).callback);
    expect(score).toContain('Points: 2');
    expect(score).toContain('Answered: 2');
    expect(embedText((await h.quiz('score', [], carol)).callback)).toContain('Points: 1');
    expect(h.fake.scheduledEvents()[0]).toMatchObject({ status: 3 });
  });
});

describe('moderating events', () => {
  it('GIVEN a weekly event THEN list shows it with its Discord event; cancel removes both', async () => {
    ({ h } = await start());
    const reply = await quizevent(h, 'schedule', [
      option('lecture', 'git-quiz'),
      option('start', '2099-01-01T10:00 Europe/Berlin'),
      option('repeat', 'weekly'),
      option('set', 2),
    ]);
    // A year and more ahead is refused; a time a few weeks ahead is fine.
    expect(reply.text).toContain('more than a year ahead');
    const inThreeWeeks = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
    const scheduled = await quizevent(h, 'schedule', [
      option('lecture', 'git-quiz'),
      option('start', `${inThreeWeeks} 18:30`),
      option('timezone', 'Europe/Berlin'),
      option('repeat', 'weekly'),
      option('set', 2),
    ]);
    expect(scheduled.text).toContain('repeats weekly at the same local time (Europe/Berlin)');
    expect(scheduled.text).toContain('1 question · 30 s each · reminder 10 min before');
    const eventId = /Event id ([0-9A-Z]{6})/.exec(scheduled.text)![1]!;
    expect(h.fake.scheduledEvents()).toHaveLength(1);

    const list = await quizevent(h, 'list');
    expect(list.ephemeral).toBe(true);
    expect(list.text).toContain(`\`${eventId}\` **Version Control Quiz** in <#${h.channelId}>`);

    const typed = h.fake.autocomplete({
      name: 'quizevent',
      options: [{ type: 1, name: 'cancel', options: [{ type: 3, name: 'id', value: '' }] }],
      user: moderator,
      permissions: '8',
    });
    const choices = (await h.callback(typed.id)).data?.choices ?? [];
    expect(choices.map((choice) => choice.value)).toEqual([eventId]);

    const cancelled = await quizevent(h, 'cancel', [option('id', eventId.toLowerCase())]);
    expect(cancelled.text).toContain('Quiz event cancelled');
    expect(cancelled.text).toContain('Its Discord event was cancelled too.');
    expect(h.fake.scheduledEvents()).toEqual([]);
    expect((await quizevent(h, 'list')).text).toContain('No quiz event is scheduled or running');
    expect((await quizevent(h, 'cancel', [option('id', eventId)])).text).toContain(
      `No scheduled or running quiz event \`${eventId}\``,
    );
  });

  it('GIVEN /quizevent start THEN the lecture is posted at once; a cancel mid-question closes the question and tells the channel', async () => {
    ({ h } = await start());
    const started = await quizevent(h, 'start', [option('lecture', 'shell-basics')]);
    expect(started.text).toContain('Quiz event starting now');
    // No Discord event for a quiz that is already starting.
    expect(h.fake.scheduledEvents()).toEqual([]);
    const [intro, question] = await channelHas(h, 2);
    expect(messageText(intro!)).toContain('Getting Around in the Shell');
    expect(messageText(question!)).toContain('Question 1 of 2');
    const eventId = /Event id ([0-9A-Z]{6})/.exec(started.text)![1]!;
    expect((await quizevent(h, 'list')).text).toContain('**running now**');
    expect(embedText(await h.click(question!, 'B', alice))).toContain('Answer locked in: B');

    expect((await quizevent(h, 'cancel', [option('id', eventId)])).text).toContain('Quiz event cancelled');
    const notice = (await channelHas(h, 3)).find((message) => messageText(message).includes('was cancelled'));
    expect(notice).toBeDefined();
    // The open question can no longer be clicked: its buttons are off, and a forged click is refused.
    const closed = h.fake.message(question!.id)!;
    expect(messageText(closed)).toContain('Question 1 of 2 · cancelled');
    expect(buttonStates(closed).every((button) => button.disabled)).toBe(true);
    expect(embedText(await h.click(closed, 'A', bob))).toContain('This quiz event was cancelled');
    expect(await h.bot!.events.store.listByGuild(h.fake.guilds[0]!.id)).toEqual([]);
  });

  it('GIVEN a member without Manage Events THEN a private refusal and nothing saved', async () => {
    ({ h } = await start());
    const reply = await quizevent(
      h,
      'schedule',
      [option('lecture', 'shell-basics'), option('start', 'in 10m')],
      alice,
      MEMBER_PERMISSIONS,
    );
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('Only moderators with the **Manage Events** permission');
    expect((await quizevent(h, 'list', [], alice, MEMBER_PERMISSIONS)).text).toContain('Only moderators');
    await nothingSaved();
  });

  it('GIVEN a past start time or an unknown lecture THEN a clear private message and nothing saved', async () => {
    ({ h } = await start());
    const past = await quizevent(h, 'schedule', [
      option('lecture', 'shell-basics'),
      option('start', new Date(Date.now() - 60_000).toISOString()),
    ]);
    expect(past.ephemeral).toBe(true);
    expect(past.text).toContain('is in the past');
    const unknown = await quizevent(h, 'schedule', [
      option('lecture', 'no-such-lecture'),
      option('start', 'in 10m'),
    ]);
    expect(unknown.text).toContain('No lecture matches "no-such-lecture"');
    const noZone = await quizevent(h, 'schedule', [
      option('lecture', 'shell-basics'),
      option('start', '2030-01-01 18:00'),
    ]);
    expect(noZone.text).toContain('has no time zone');
    const tooMany = await quizevent(h, 'schedule', [
      option('lecture', 'shell-basics'),
      option('start', 'in 10m'),
      option('questions', 3),
    ]);
    expect(tooMany.text).toContain('Questions is 3 but that lecture has only 2.');
    await nothingSaved();
  });

  it("GIVEN Discord's 100 scheduled events limit THEN a clear message and nothing saved", async () => {
    ({ h } = await start());
    h.fake.failNext(
      (request) => request.method === 'POST' && request.path.endsWith('/scheduled-events'),
      400,
      30038,
      1,
      'Maximum number of uncompleted guild scheduled events reached (100)',
    );
    const reply = await quizevent(h, 'schedule', [
      option('lecture', 'shell-basics'),
      option('start', 'in 1h'),
    ]);
    expect(reply.text).toContain('100 upcoming Discord events, the most Discord allows');
    await nothingSaved();
  });
});

describe('what the bot may do', () => {
  it('GIVEN the bot cannot send messages in the channel THEN the schedule is refused and nothing saved', async () => {
    const viewOnly = String((1n << 10n) | (1n << 31n));
    ({ h } = await start({ fake: { botPermissions: viewOnly } }));
    const reply = await quizevent(h, 'schedule', [
      option('lecture', 'shell-basics'),
      option('start', 'in 1h'),
    ]);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain(
      `I can't run a quiz in <#${h.channelId}>: I need Send Messages, Embed Links there.`,
    );
    await nothingSaved();
  });

  it('GIVEN the bot lacks Manage Events THEN the quiz is scheduled and the reply says why there is no Discord event', async () => {
    ({ h } = await start({ fake: { botPermissions: MEMBER_PERMISSIONS } }));
    const reply = await quizevent(h, 'schedule', [
      option('lecture', 'shell-basics'),
      option('start', 'in 1h'),
    ]);
    expect(reply.text).toContain('Quiz event scheduled');
    expect(reply.text).toContain('No Discord event was created: I need the **Manage Events** permission');
    expect(h.fake.scheduledEvents()).toEqual([]);
    expect(await h.bot!.events.store.listByGuild(h.fake.guilds[0]!.id)).toHaveLength(1);
  });
});
