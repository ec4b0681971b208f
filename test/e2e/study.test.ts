// Practice, review and progress end to end: the real bot against the fake Discord, on a clock the
// test moves, so review schedules run across days without waiting.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../src/sandbox/fake-discord.js';
import { fillDisk } from '../support/faults.js';
import { TestClock } from '../support/test-clock.js';
import { Harness, LECTURES_DIR, alice, bob, buttonId, buttonsOf, embedText, isEphemeral } from './harness.js';
import type { CallbackView, CommandOption } from './harness.js';

const DAY_MS = 86_400_000;
const SHELL_Q1 = 'Which command prints the folder you are currently in?';
const SHELL_Q2 = 'Which snippet lists the files of the home folder, one per line?';
const lecture = (id: string): CommandOption => ({ type: 3, name: 'lecture', value: id });

let h: Harness;
let clock: TestClock;
afterEach(async () => {
  await h.close();
});

async function start(overrides: Parameters<typeof Harness.start>[0] = {}): Promise<void> {
  clock = new TestClock(Date.UTC(2026, 2, 2, 12));
  h = await Harness.start(overrides, { clock });
}

/** Runs a /quiz subcommand and returns its reply and the message it made (to click on). */
async function quiz(
  sub: string,
  options: CommandOption[] = [],
  who = alice,
): Promise<{ reply: CallbackView; message: FakeMessage }> {
  const { token, callback } = await h.quiz(sub, options, who);
  const message = h.fake.originalResponse(token);
  if (!message) throw new Error(`no message for /quiz ${sub}`);
  return { reply: callback, message };
}

/** The times of every `<t:…:R>` in a text, in ms. */
function timestamps(text: string): number[] {
  return [...text.matchAll(/<t:(\d+):R>/g)].map((match) => Number(match[1]) * 1000);
}

describe('/quiz review', () => {
  it('GIVEN a channel quiz with one miss THEN review offers exactly that one; right, it is days ahead and nothing is due; the clock brings it back', async () => {
    await start();
    const [first, second] = await h.startQuiz('shell-basics', 2);
    await h.click(first!, 'A'); // wrong: pwd is B
    await h.click(second!, 'A'); // right

    const { reply, message } = await quiz('review');
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.data?.embeds?.[0]?.title).toBe('Question 1 of 1');
    expect(embedText(reply)).toContain(SHELL_Q1);
    expect(reply.data?.embeds?.[0]?.footer?.text).toBe(
      'Review · Getting Around in the Shell · only you see this',
    );

    const graded = await h.click(message, 'B');
    expect(graded.type).toBe(7);
    const text = embedText(graded);
    expect(text).toContain('✅ Correct!: B is the right answer.');
    expect(text).toContain('Right: pwd stands for "print working directory".');
    const [comesBack] = timestamps(text.slice(text.indexOf('Back for review')));
    expect(comesBack! - clock.now()).toBeGreaterThanOrEqual(DAY_MS);

    const summary = embedText(await h.click(message, 'See the summary'));
    expect(summary).toContain('Review finished');
    expect(summary).toContain('Right: **1 of 1**');
    expect(summary).toContain('Nothing is due for review right now. 2 questions are scheduled');

    const nothing = embedText((await quiz('review')).reply);
    expect(nothing).toContain(
      'Nothing is due for review right now. 2 questions are scheduled; the next one is due',
    );
    // Review never scores: the one right channel answer is all there is.
    expect(embedText((await h.quiz('score')).callback)).toContain('Points: 1');

    await clock.advanceTo(comesBack!);
    const due = (await quiz('review')).reply;
    expect(due.data?.embeds?.[0]?.title).toBe('Question 1 of 2');
  });

  it('GIVEN nothing answered yet THEN review says how questions get there', async () => {
    await start();
    const text = embedText((await quiz('review')).reply);
    expect(text).toContain('You have no questions to review yet.');
  });

  it('GIVEN /quiz score with a miss due THEN it says how many and its button starts a review privately', async () => {
    await start();
    const [first] = await h.startQuiz('shell-basics', 2);
    await h.click(first!, 'C');
    const { reply, message } = await quiz('score');
    expect(isEphemeral(reply)).toBe(false);
    expect(embedText(reply)).toContain('Review: **1 due for review**');
    const review = await h.click(message, 'Start a review');
    expect(review.type).toBe(4);
    expect(isEphemeral(review)).toBe(true);
    expect(embedText(review)).toContain(SHELL_Q1);
    // Someone else's score shows no review line: the queue is private study.
    const bobs = h.fake.sendCommand({
      name: 'quiz',
      options: [{ type: 1, name: 'score', options: [{ type: 6, name: 'user', value: alice.id }] }],
      resolved: {
        users: { [alice.id]: { id: alice.id, username: alice.username, discriminator: '0', avatar: null } },
      },
      user: bob,
    });
    const other = await h.callback(bobs.id);
    expect(embedText(other)).not.toContain('due for review');
    expect(buttonsOf(other)).toEqual([]);
  });
});

describe('/quiz practice', () => {
  it('GIVEN a practice run THEN it goes privately question by question to its summary, and the leaderboard stays empty', async () => {
    await start();
    const { reply, message } = await quiz('practice', [lecture('shell-basics')]);
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.data?.embeds?.[0]?.title).toBe('Question 1 of 2');
    expect(buttonsOf(reply).map((b) => b.label)).toEqual(['A. ls', 'B. pwd', 'C. cd']);
    const firstAnswer = buttonId(message, 'A');

    const wrong = embedText(await h.click(message, 'A'));
    expect(wrong).toContain('❌ Not quite: You chose A; the right answer is B.');
    expect(wrong).toContain('That one lists the files; it does not say where you are.');
    expect(wrong).toContain('About B: Right: pwd stands for "print working directory".');
    expect(wrong).toContain('Due again now');
    expect(buttonsOf(h.fake.message(message.id)!).map((b) => [b.label, b.disabled])).toEqual([
      ['A. ls', true],
      ['B. pwd', true],
      ['C. cd', true],
      ['Next ▶', false],
    ]);

    const next = await h.click(message, 'Next ▶');
    expect(next.data?.embeds?.[0]?.title).toBe('Question 2 of 2');
    expect(embedText(next)).toContain(SHELL_Q2);
    expect(embedText(await h.click(message, 'A'))).toContain('✅ Correct!');

    const summary = embedText(await h.click(message, 'See the summary'));
    expect(summary).toContain('Practice finished: Getting Around in the Shell');
    expect(summary).toContain('Right at the first try: **1 of 2**');
    expect(summary).toContain(`**Missed, back for review:**\n• Q1 · ${SHELL_Q1} · due <t:`);
    expect(summary).toMatch(/The one you got right comes back for review from <t:\d+:R>/);

    // Practice never scores.
    expect(embedText((await h.quiz('leaderboard')).callback)).toContain('Nobody has answered a question');
    expect(embedText((await h.quiz('score')).callback)).toContain('has not answered any question');

    // A button of the finished run says so, privately, and changes nothing.
    const stale = await h.clickRaw(message, firstAnswer);
    expect(stale.type).toBe(4);
    expect(isEphemeral(stale)).toBe(true);
    expect(embedText(stale)).toContain('This practice run is finished.');

    // Its summary's button reviews the mistake.
    const review = await h.click(h.fake.message(message.id)!, 'Review my mistakes');
    expect(embedText(review)).toContain(SHELL_Q1);
  });

  it('GIVEN a restart mid-practice THEN the run and its buttons carry on; running it again offers Continue or Start over', async () => {
    await start();
    const { message } = await quiz('practice', [lecture('shell-basics')]);
    await h.click(message, 'B');
    await h.stopBot();
    await h.startBot();

    const next = await h.click(message, 'Next ▶');
    expect(next.type).toBe(7);
    expect(embedText(next)).toContain(SHELL_Q2);
    const secondAnswer = buttonId(h.fake.message(message.id)!, 'A');

    const offer = await quiz('practice', [lecture('shell-basics')]);
    expect(embedText(offer.reply)).toContain('Unfinished practice: Getting Around in the Shell');
    expect(embedText(offer.reply)).toContain('You stopped at question 2 of 2 (1 answered, 1 right)');
    expect(buttonsOf(offer.reply).map((b) => b.label)).toEqual(['Continue', 'Start over']);
    const continued = await h.click(offer.message, 'Continue');
    expect(continued.type).toBe(7);
    expect(embedText(continued)).toContain(SHELL_Q2);

    const again = await quiz('practice', [lecture('shell-basics')]);
    const restarted = await h.click(again.message, 'Start over');
    expect(restarted.data?.embeds?.[0]?.title).toBe('Question 1 of 2');
    const replaced = await h.clickRaw(message, secondAnswer);
    expect(isEphemeral(replaced)).toBe(true);
    expect(embedText(replaced)).toContain('This practice run was replaced: you started this lecture over.');
  });

  it('GIVEN a double click on Next THEN it moves one question, and the second click says so', async () => {
    await start();
    const { message } = await quiz('practice', [lecture('shell-basics')]);
    await h.click(message, 'B');
    const id = buttonId(h.fake.message(message.id)!, 'Next ▶');
    const clicks = [1, 2].map(() => h.fake.clickButton({ customId: id, message, user: alice }));
    const replies = await Promise.all(clicks.map((click) => h.callback(click.id)));
    expect(replies.map((reply) => reply.type).sort()).toEqual([4, 7]);
    expect(replies.map(embedText).find((text) => text.includes('moved past'))).toBeDefined();
    expect(h.fake.message(message.id)?.embeds).toMatchObject([{ title: 'Question 2 of 2' }]);
  });
});

describe('store failures', () => {
  it('GIVEN a full disk mid-practice THEN the click gets a short private apology; once freed, the same click goes on and counts once', async () => {
    await start();
    const { message } = await quiz('practice', [lecture('shell-basics')]);
    const disk = fillDisk(h.bot!.store);
    const failed = await h.click(message, 'A');
    expect(isEphemeral(failed)).toBe(true);
    expect(embedText(failed)).toContain('Something went wrong on my side');
    expect(h.fake.message(message.id)?.embeds).toMatchObject([{ title: 'Question 1 of 2' }]);
    disk.free();
    expect(embedText(await h.click(message, 'A'))).toContain('❌ Not quite');
    const progress = embedText((await quiz('progress', [lecture('shell-basics')])).reply);
    expect(progress).toContain('1 of 2 seen · 0 right at the latest try · 1 due now');
  });
});

describe('edited lectures', () => {
  it('GIVEN a question edited while the bot was down THEN it drops out of review, and an open session passes over it', async () => {
    const contentDir = await mkdtemp(join(tmpdir(), 'quizbot-study-'));
    await cp(LECTURES_DIR, contentDir, { recursive: true });
    try {
      await start({ contentDir });
      const [first, second] = await h.startQuiz('shell-basics', 2);
      await h.click(first!, 'A');
      await h.click(second!, 'B');
      const open = await quiz('review');
      expect(open.reply.data?.embeds?.[0]?.title).toBe('Question 1 of 2');
      expect(embedText(open.reply)).toContain(SHELL_Q1);

      await h.stopBot();
      const path = join(contentDir, 'shell-basics.md');
      await writeFile(path, (await readFile(path, 'utf8')).replace('currently in?', 'in right now?'));
      await h.restartAfterContentChanges(['shell-basics.md is served as it is now']);

      // The session asked the old version: its answer passes over it to the next question.
      const passed = await h.click(open.message, 'B');
      expect(embedText(passed)).toContain(SHELL_Q2);
      expect(embedText(passed)).toContain('⏭️ Passed over: 1 question changed since this review began');

      const fresh = await quiz('review');
      expect(fresh.reply.data?.embeds?.[0]?.title).toBe('Question 1 of 1');
      expect(embedText(fresh.reply)).toContain(SHELL_Q2);
      const progress = embedText((await quiz('progress', [lecture('shell-basics')])).reply);
      expect(progress).toContain('1 of 2 seen · 0 right at the latest try · 1 due now');
      expect(progress).toContain(
        '▫️ Q1 · Which command prints the folder you are in right now? · not answered yet',
      );
    } finally {
      await rm(contentDir, { recursive: true, force: true });
    }
  });
});

describe('/quiz progress', () => {
  it('GIVEN answers in one lecture THEN progress shows it with a bar and suggests the other', async () => {
    await start();
    const [first, second] = await h.startQuiz('shell-basics', 2);
    await h.click(first!, 'B');
    await h.click(second!, 'B');
    const { reply } = await quiz('progress');
    expect(isEphemeral(reply)).toBe(true);
    const text = embedText(reply);
    expect(text).toContain(
      '**Getting Around in the Shell**\n▰▰▰▰▰▱▱▱▱▱ 2 of 2 seen · 1 right at the latest try · 1 due now',
    );
    expect(text).toContain('Not started yet: **Version Control Quiz** · `/quiz practice lecture:git-quiz`');

    const detail = embedText((await quiz('progress', [lecture('shell-basics')])).reply);
    expect(detail).toContain('Progress: Getting Around in the Shell');
    expect(detail).toMatch(new RegExp(`✅ Q1 · ${SHELL_Q1.replace('?', '\\?')} · back <t:\\d+:R>`));
    expect(detail).toContain(`❌ Q2 · ${SHELL_Q2} · **due now**`);
  });
});
