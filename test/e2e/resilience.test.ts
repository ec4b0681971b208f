// Stale buttons, malformed ids, Discord API errors and store errors: the user gets a short private
// message, the log gets the details, and the bot keeps serving.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCustomId, parseCustomId } from '../../src/discord/custom-id.js';
import type { QuizCustomId } from '../../src/discord/custom-id.js';
import { Harness, LECTURES_DIR, alice, bob, buttonId, embedText, embedsOf, isEphemeral } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const isCallback = (path: string): boolean => path.startsWith('/interactions/');

describe('stale and malformed buttons', () => {
  it.each([
    [
      'a changed question',
      (id: string) => withAnswer(id, { fingerprint: 'AAAAAAAA' }),
      'has changed since it was posted',
    ],
    [
      'a removed lecture',
      (id: string) => withAnswer(id, { lectureId: 'gone-lecture' }),
      'no longer available',
    ],
    ['an answer the question lacks', (id: string) => withAnswer(id, { answer: 9 }), 'has changed'],
    ['a question the lecture lacks', (id: string) => withAnswer(id, { question: 7 }), 'has changed'],
    ['a set the lecture lacks', (id: string) => withAnswer(id, { set: 3 }), 'has changed'],
    ['an unknown kind', () => 'q1|zz|1', 'older version of the bot'],
    ['a truncated id', (id: string) => id.slice(0, -12), 'older version of the bot'],
    ['a foreign prefix', () => 'someone-else|1', 'no longer supported'],
    ['an empty custom_id', () => '', 'no longer supported'],
  ])('GIVEN %s THEN a friendly private message, no score', async (_name, mutate, expected) => {
    h = await Harness.start();
    const [first] = await h.startQuiz('shell-basics', 2);
    const callback = await h.clickRaw(first!, mutate(buttonId(first!, 'B')));
    expect(isEphemeral(callback)).toBe(true);
    expect(embedText(callback)).toContain(expected);
    expect(embedText(callback)).not.toContain('Something went wrong');
    expect(embedText((await h.quiz('score')).callback)).toContain('has not answered');
  });

  it('GIVEN a lecture edited or removed while the bot was down THEN its old buttons say so after the restart', async () => {
    const contentDir = await mkdtemp(join(tmpdir(), 'quizbot-content-'));
    await cp(LECTURES_DIR, contentDir, { recursive: true });
    try {
      h = await Harness.start({ contentDir });
      const [first, second] = await h.startQuiz('shell-basics', 2);
      const [quizQuestion] = await h.startQuiz('git-quiz', 2);
      await h.stopBot();
      const path = join(contentDir, 'shell-basics.md');
      await writeFile(path, (await readFile(path, 'utf8')).replace('currently in?', 'in right now?'));
      await rm(join(contentDir, 'git-quiz.md'));
      await h.restartAfterContentChanges([
        'shell-basics.md is served as it is now',
        'git-quiz.md was removed',
      ]);

      expect(embedText(await h.click(first!, 'B'))).toContain('has changed since it was posted');
      expect(embedText(await h.click(second!, 'A'))).toContain('Correct');
      expect(embedText(await h.click(quizQuestion!, 'A'))).toContain('no longer available');
    } finally {
      await rm(contentDir, { recursive: true, force: true });
    }
  });
});

describe('Discord and store failures', () => {
  it('GIVEN the channel refuses posts THEN the user is told which permissions are missing', async () => {
    h = await Harness.start();
    h.fake.failNext((request) => request.method === 'POST' && request.path.endsWith('/messages'), 403, 50013);
    const { token } = await h.quiz('start', [{ type: 3, name: 'lecture', value: 'shell-basics' }]);
    await h.fake.waitForRequest(
      (request) =>
        request.method === 'POST' && request.path.startsWith(`/webhooks/${h.fake.applicationId}/${token}`),
    );
    const [notice] = h.fake.followUps(token);
    expect(notice?.flags).toBe(64);
    expect(embedsOf(notice!)[0]?.description).toContain('I need View Channel, Send Messages and Embed Links');
  });

  it('GIVEN a reply Discord rejects THEN it is logged with the interaction id and the next click works', async () => {
    h = await Harness.start();
    const [first] = await h.startQuiz('shell-basics', 2);
    h.fake.failNext((request) => isCallback(request.path), 400, 50035);
    const failed = h.fake.clickButton({ customId: buttonId(first!, 'B'), message: first!, user: alice });
    const apology = await h.callback(failed.id);
    expect(embedText(apology)).toContain(`Something went wrong on my side (ref ${failed.id})`);
    expect(h.logs.some((line) => line.level >= 50 && line.ref === failed.id)).toBe(true);
    expect(embedText(await h.click(first!, 'B', bob))).toContain('+1 point');
  });

  it('GIVEN an expired interaction (10062) THEN it is logged as a warning and nothing else is attempted', async () => {
    h = await Harness.start();
    const [first] = await h.startQuiz('shell-basics', 2);
    h.fake.failNext((request) => isCallback(request.path), 404, 10062);
    const expired = h.fake.clickButton({ customId: buttonId(first!, 'A'), message: first!, user: alice });
    await h.fake.waitForRequest((request) => request.path.includes(expired.id));
    await waitForLog(h, (line) => line.ref === expired.id);
    expect(h.logs.find((line) => line.ref === expired.id)?.level).toBe(40);
    expect(h.fake.requests.filter((request) => request.path.includes(expired.id))).toHaveLength(1);
    expect(embedText(await h.click(first!, 'B', bob))).toContain('Correct');
  });

  it('GIVEN the store fails THEN the user gets a reference id and the log has the error under it', async () => {
    h = await Harness.start();
    const [first] = await h.startQuiz('shell-basics', 2);
    await h.bot!.store.close();
    const click = h.fake.clickButton({ customId: buttonId(first!, 'B'), message: first!, user: alice });
    const callback = await h.callback(click.id);
    expect(isEphemeral(callback)).toBe(true);
    expect(embedText(callback)).toContain(`(ref ${click.id})`);
    const logged = h.logs.find((line) => line.ref === click.id);
    expect(logged?.level).toBe(50);
    expect(JSON.stringify(logged)).toContain('the quiz store is closed');
  });

  it('GIVEN an unknown command THEN a private message, and the bot keeps serving', async () => {
    h = await Harness.start();
    const { callback } = await h.command('not-a-command', []);
    expect(isEphemeral(callback)).toBe(true);
    expect(embedText(callback)).toContain('no longer available');
    expect(embedText((await h.quiz('score')).callback)).toContain('Score');
  });
});

/** The same answer button with some fields changed, built by the real custom_id module. */
function withAnswer(id: string, change: Partial<Extract<QuizCustomId, { kind: 'answer' }>>): string {
  const parsed = parseCustomId(id);
  if (parsed?.kind !== 'answer') throw new Error(`not an answer id: ${id}`);
  return buildCustomId({ ...parsed, ...change });
}

async function waitForLog(
  harness: Harness,
  match: (line: Harness['logs'][number]) => boolean,
): Promise<void> {
  const start = Date.now();
  while (!harness.logs.some(match)) {
    if (Date.now() - start > 3000) throw new Error('log line not seen');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
