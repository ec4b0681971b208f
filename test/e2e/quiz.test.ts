// The /quiz command end to end: the real bot, a fake Discord on 127.0.0.1, a temporary SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCustomId } from '../../src/discord/custom-id.js';
import { user } from '../../src/sandbox/fake-discord.js';
import {
  Harness,
  alice,
  asCallbackView,
  bob,
  buttonId,
  buttonsOf,
  carol,
  embedText,
  embedsOf,
  isEphemeral,
} from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.close();
});

describe('/quiz start', () => {
  it('GIVEN a lecture THEN the lecture embed is the reply and each question follows with lettered answer buttons', async () => {
    const questions = await h.startQuiz('shell-basics', 2);
    const reply = asCallbackView(h.fake.callbacks.find((callback) => callback.type === 4)!);
    expect(reply.data?.embeds?.[0]?.title).toBe('Getting Around in the Shell');
    expect(reply.data?.embeds?.[0]?.description).toContain('The shell is a program');
    expect(buttonsOf(reply).map((button) => button.label)).toEqual(['Read the full lecture']);
    expect(isEphemeral(reply)).toBe(false);

    const [first, second] = questions.map((message) => ({
      embed: embedsOf(message)[0],
      buttons: buttonsOf(message),
    }));
    expect(first?.embed?.title).toBe('Question 1 of 2');
    expect(first?.embed?.description).toBe(
      'Which command prints the folder you are currently in?\n\n**A.** `ls`\n**B.** `pwd`\n**C.** `cd`',
    );
    expect(first?.buttons.map((button) => button.label)).toEqual(['A. ls', 'B. pwd', 'C. cd']);
    // A code-block answer stays a code block in the embed; its button shows the letter alone.
    expect(second?.embed?.description).toContain('**A.**\n```sh\nls -l ~\n```');
    expect(second?.buttons.map((button) => button.label)).toEqual(['A', 'B', 'C']);
  });

  it('GIVEN a quiz file and a set THEN that set is posted; GIVEN a set it lacks THEN a private explanation', async () => {
    const questions = await h.startQuiz('git-quiz', 1, [{ type: 4, name: 'set', value: 2 }]);
    expect(embedsOf(questions[0]!)[0]?.description).toContain('Which command shows the history of commits?');
    expect(parseCustomId(buttonId(questions[0]!, 'A'))).toMatchObject({
      lectureId: 'git-quiz',
      set: 1,
      question: 0,
    });

    const { callback } = await h.quiz('start', [
      { type: 3, name: 'lecture', value: 'git-quiz' },
      { type: 4, name: 'set', value: 3 },
    ]);
    expect(isEphemeral(callback)).toBe(true);
    expect(embedText(callback)).toContain('pick a set from 1 to 2');
  });

  it('GIVEN a quiz file and no set THEN one set is picked (the harness makes it the first)', async () => {
    const questions = await h.startQuiz('git-quiz', 2);
    expect(questions.map((message) => embedsOf(message)[0]?.description?.split('\n')[0])).toEqual([
      'What does a commit record?',
      'What is a branch?',
    ]);
  });

  it('GIVEN an unknown lecture THEN a private message points to /quiz list', async () => {
    const { callback } = await h.quiz('start', [{ type: 3, name: 'lecture', value: 'no-such-lecture' }]);
    expect(isEphemeral(callback)).toBe(true);
    expect(embedText(callback)).toContain('/quiz list');
  });

  it('GIVEN the read button THEN the full lecture arrives privately', async () => {
    await h.startQuiz('shell-basics', 2);
    const reply = h.fake.callbacks.find((callback) => callback.type === 4)!;
    const lectureMessage = h.fake.originalResponse(reply.token)!;
    const callback = await h.click(lectureMessage, 'Read the full lecture', bob);
    expect(isEphemeral(callback)).toBe(true);
    expect(embedText(callback)).toContain('Most commands take options that start with a dash.');
  });
});

describe('grading', () => {
  it("GIVEN a correct click THEN a private Correct with the answer's feedback, and a point", async () => {
    const [first] = await h.startQuiz('shell-basics', 2);
    const callback = await h.click(first!, 'B');
    expect(callback.type).toBe(4);
    expect(isEphemeral(callback)).toBe(true);
    const text = embedText(callback);
    expect(text).toContain('Correct');
    expect(text).toContain('Right: pwd stands for "print working directory".');
    expect(text).toContain('+1 point');
  });

  it("GIVEN a wrong click THEN Not quite with that answer's feedback and the correct answer's feedback", async () => {
    const [first] = await h.startQuiz('shell-basics', 2);
    const text = embedText(await h.click(first!, 'A', bob));
    expect(text).toContain('Not quite');
    expect(text).toContain('That one lists the files; it does not say where you are.');
    expect(text).toContain('Right: pwd stands for "print working directory".');
    expect(text).toContain('No point this time');
  });

  it('GIVEN a second click by the same user THEN it is graded but the score does not change', async () => {
    const [first] = await h.startQuiz('shell-basics', 2);
    await h.click(first!, 'A');
    const text = embedText(await h.click(first!, 'B'));
    expect(text).toContain('Correct');
    expect(text).toContain(
      'A (wrong), is the one that counts: your score did not change. You have 0 points.',
    );
  });

  it('GIVEN two clicks arriving at once THEN exactly one is scored', async () => {
    const [first] = await h.startQuiz('shell-basics', 2);
    const customId = buttonId(first!, 'B');
    const clicks = [1, 2, 3].map(() => h.fake.clickButton({ customId, message: first!, user: alice }));
    const texts = (await Promise.all(clicks.map((click) => h.fake.waitForCallback(click.id)))).map(embedText);
    expect(texts.filter((text) => text.includes('+1 point'))).toHaveLength(1);
    expect(texts.filter((text) => text.includes('did not change'))).toHaveLength(2);
    expect(embedText((await h.quiz('score')).callback)).toContain('Points: 1');
  });
});

describe('scores', () => {
  it('GIVEN answers by several users THEN /quiz score and the leaderboard show points, accuracy, streaks and order', async () => {
    const [first, second] = await h.startQuiz('shell-basics', 2);
    // alice: 2 right. carol: 1 right. bob: 1 wrong then 1 right (same points as carol, lower accuracy).
    await h.click(first!, 'B', alice);
    await h.click(second!, 'A', alice);
    await h.click(first!, 'B', carol);
    await h.click(first!, 'A', bob);
    await h.click(second!, 'A', bob);

    const alicesScore = embedText((await h.quiz('score')).callback);
    expect(alicesScore).toContain('Points: 2');
    expect(alicesScore).toContain('Answered: 2');
    expect(alicesScore).toContain('Accuracy: 100% (2 right)');
    expect(alicesScore).toContain('Streak: 2 now, best 2');
    expect(alicesScore).toContain('Rank: #1 of 3');

    const asked = h.fake.sendCommand({
      name: 'quiz',
      options: [{ type: 1, name: 'score', options: [{ type: 6, name: 'user', value: bob.id }] }],
      resolved: {
        users: { [bob.id]: { id: bob.id, username: bob.username, discriminator: '0', avatar: null } },
      },
      user: alice,
    });
    const bobsScore = embedText(await h.fake.waitForCallback(asked.id));
    expect(bobsScore).toContain(`<@${bob.id}>`);
    expect(bobsScore).toContain('Accuracy: 50% (1 right)');
    expect(bobsScore).toContain('Rank: #3 of 3');

    const board = embedText((await h.quiz('leaderboard')).callback);
    const order = [...board.matchAll(/<@(\d+)>/g)].map((match) => match[1]);
    expect(order).toEqual([alice.id, carol.id, bob.id]);
  });

  it('GIVEN twelve players THEN the leaderboard shows ten and its Next button pages to the rest', async () => {
    const [first, second] = await h.startQuiz('shell-basics', 2);
    const players = Array.from({ length: 12 }, (_, i) =>
      user(`6000000000000000${String(i).padStart(2, '0')}`, `p${i}`),
    );
    for (const [i, player] of players.entries()) {
      await h.click(first!, 'B', player);
      // The first six also get the second question right, so they lead.
      if (i < 6) await h.click(second!, 'A', player);
    }
    const { token, callback } = await h.quiz('leaderboard');
    expect(isEphemeral(callback)).toBe(false);
    expect([...embedText(callback).matchAll(/^\*\*(\d+)\.\*\*/gm)].map((match) => match[1])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);
    expect(embedText(callback)).toContain(`**1.** <@${players[0]!.id}> · 2 points`);
    expect(buttonsOf(callback).map((button) => [button.label, button.disabled])).toEqual([
      ['◀ Previous', true],
      ['Next ▶', false],
    ]);

    const board = h.fake.originalResponse(token)!;
    const next = await h.click(board, 'Next ▶', bob);
    expect(next.type).toBe(7);
    expect(embedText(next)).toContain(`**11.** <@${players[10]!.id}> · 1 point`);
    expect(embedText(next)).toContain(`**12.** <@${players[11]!.id}>`);
    expect(next.data?.embeds?.[0]?.footer?.text).toContain('Page 2 of 2 · 12 players');
  });

  it('GIVEN someone who never answered THEN /quiz score says so', async () => {
    expect(embedText((await h.quiz('score', [], carol)).callback)).toContain('has not answered any question');
  });
});

describe('lookup', () => {
  it('GIVEN typing in the lecture option THEN autocomplete offers matching titles and ids', async () => {
    const typed = h.fake.autocomplete({
      name: 'quiz',
      options: [
        { type: 1, name: 'start', options: [{ type: 3, name: 'lecture', value: 'shell', focused: true }] },
      ],
      user: alice,
    });
    const callback = await h.callback(typed.id);
    expect(callback.type).toBe(8);
    expect(callback.data?.choices).toEqual([{ name: 'Getting Around in the Shell', value: 'shell-basics' }]);

    const byId = h.fake.autocomplete({
      name: 'quiz',
      options: [
        { type: 1, name: 'start', options: [{ type: 3, name: 'lecture', value: 'GIT-q', focused: true }] },
      ],
    });
    expect((await h.callback(byId.id)).data?.choices).toEqual([
      { name: 'Version Control Quiz', value: 'git-quiz' },
    ]);
  });

  it('GIVEN /quiz list THEN the lectures are listed privately, and a search narrows them', async () => {
    const all = (await h.quiz('list')).callback;
    expect(isEphemeral(all)).toBe(true);
    expect(embedText(all)).toContain('**Getting Around in the Shell**\n`shell-basics` · 2 questions');
    expect(embedText(all)).toContain('**Version Control Quiz**\n`git-quiz` · 2 quizzes');
    const some = embedText((await h.quiz('list', [{ type: 3, name: 'search', value: 'version' }])).callback);
    expect(some).not.toContain('shell-basics');
    expect(some).toContain('git-quiz');
  });
});

describe('registration', () => {
  it('GIVEN a start THEN the /quiz command is registered globally with its seven subcommands', () => {
    const [quiz] = h.fake.registeredCommands() as { name: string; options: { name: string }[] }[];
    expect(quiz?.name).toBe('quiz');
    expect(quiz?.options.map((option) => option.name)).toEqual([
      'start',
      'list',
      'score',
      'leaderboard',
      'practice',
      'review',
      'progress',
    ]);
    expect(h.logs.some((line) => /^Ready as QuizBot: 2 lectures, 1 guild$/.test(line.msg))).toBe(true);
  });
});
