// SIGKILL in the middle of a crowd: 2,000 members double-click an event question, the bot process
// is killed mid-burst (once it has answered 200 clicks, about 300 ms in), and after the restart every member who was told "locked in" or
// "already locked in" is in the round's results. The bot runs in its own process (a real kill), on
// a clock the test moves.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { FakeDiscord, user } from '../../src/sandbox/fake-discord.js';
import type { FakeMessage, RecordedRequest } from '../../src/sandbox/fake-discord.js';
import { TestClock } from '../support/test-clock.js';
import { sendEventStart } from './events-support.js';
import { LECTURES_DIR, buttonId, embedsOf, waitUntil } from './harness.js';

const CHILD = fileURLToPath(new URL('../support/bot-child.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(
  fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url)),
).href;
const MEMBERS = 2_000;

let fake: FakeDiscord;
let dir: string;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Bot {
  child: ChildProcess;
  advance(ms: number): Promise<void>;
}

async function startChild(clock: TestClock, storeUrl: string): Promise<Bot> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', TSX_LOADER],
    env: {
      ...process.env,
      DISCORD_TOKEN: 'fake-token',
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      STORE_URL: storeUrl,
      CONTENT_DIR: LECTURES_DIR,
      LOG_LEVEL: 'warn',
      TEST_CLOCK_START: String(clock.now()),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the bot exited with ${code} before it was ready`)));
  });
  let nextId = 1;
  return {
    child,
    async advance(ms) {
      const id = nextId++;
      const done = new Promise<void>((resolve) =>
        child.on('message', (message: { advanced?: number }) => message.advanced === id && resolve()),
      );
      await clock.advance(ms);
      child.send({ advance: ms, id });
      await done;
    },
  };
}

function text(message: FakeMessage | undefined): string {
  const embed = message ? embedsOf(message)[0] : undefined;
  return [
    embed?.title,
    embed?.description,
    ...(embed?.fields ?? []).map((f) => f.value),
    embed?.footer?.text,
  ].join('\n');
}

it('GIVEN 2,000 members double-clicking and a SIGKILL mid-burst THEN every member told "locked in" or "already" counts after the restart', async () => {
  const clock = new TestClock();
  fake = await FakeDiscord.start({ now: () => clock.now() });
  dir = await mkdtemp(join(tmpdir(), 'quizbot-kill-'));
  const storeUrl = `sqlite://${join(dir, 'quiz.sqlite')}`;
  const guildId = fake.guilds[0]!.id;
  const channelId = fake.guilds[0]!.channels[0]!.id;
  let bot = await startChild(clock, storeUrl);

  const started = sendEventStart(fake, { lecture: 'shell-basics', seconds: 30, questions: 1 });
  await fake.waitForCallback(started.id, 10_000);
  await waitUntil(() => fake.channelMessages(channelId).length >= 2, 10_000);
  const question = fake.channelMessages(channelId)[1]!;

  // Each member clicks B and, at once, C: one of the two is the first answer.
  const members = Array.from({ length: MEMBERS }, (_, i) => user(`6${String(i).padStart(17, '0')}`, `m${i}`));
  const sent = new Map<string, string>(); // interaction id -> member id
  for (const member of members) {
    for (const label of ['B', 'C']) {
      const click = fake.clickButton({
        customId: buttonId(question, label),
        message: question,
        user: member,
      });
      sent.set(click.id, member.id);
    }
  }
  // Killed mid-burst: once the bot has answered a couple of hundred clicks (about 300 ms in on an
  // idle machine), whatever the load, so the kill never lands before the burst or after it.
  await waitUntil(() => fake.callbacks.length >= 200, 20_000);
  bot.child.kill('SIGKILL');
  await new Promise((resolve) => bot.child.once('exit', resolve));

  // What each member was told before the kill.
  const told = new Set<string>();
  for (const callback of fake.callbacks) {
    const member = sent.get(callback.interactionId);
    const reply = JSON.stringify(callback.data ?? {});
    if (member !== undefined && (reply.includes('Answer locked in') || reply.includes('already locked in')))
      told.add(member);
  }
  expect(told.size).toBeGreaterThan(0);
  // The kill landed mid-burst: some clicks were never answered.
  expect(told.size).toBeLessThan(MEMBERS);

  // Restart, let the question close, and read the round's results.
  bot = await startChild(clock, storeUrl);
  await bot.advance(30_000);
  await waitUntil(() => (fake.message(question.id)?.edits ?? 0) >= 1, 10_000);
  await bot.advance(1_000);
  await waitUntil(() => fake.channelMessages(channelId).length >= 3, 10_000);
  const standings = text(fake.channelMessages(channelId)[2]);
  const participants = Number(/(\d+) participants?/.exec(standings)?.[1]);
  expect(participants).toBeGreaterThanOrEqual(told.size);
  bot.child.kill('SIGTERM');
  await new Promise((resolve) => bot.child.once('exit', resolve));

  // Every member who was told has that answer in the server score.
  const store = await openStore(storeUrl);
  try {
    const missing: string[] = [];
    for (const member of told) if ((await store.getScore(guildId, member)) === null) missing.push(member);
    expect(missing).toEqual([]);
  } finally {
    await store.close();
  }
}, 60_000);

/** The nonce a request was posted with, or '' (Discord JSON is loosely typed in the fake). */
function nonceOf(request: RecordedRequest): string {
  const body: unknown = request.body;
  const nonce = typeof body === 'object' && body !== null && 'nonce' in body ? body.nonce : undefined;
  return typeof nonce === 'string' ? nonce : '';
}

it('GIVEN a SIGKILL after Discord made the question message and before the bot saved it THEN after the restart each event message is there once', async () => {
  const clock = new TestClock();
  fake = await FakeDiscord.start({ now: () => clock.now() });
  dir = await mkdtemp(join(tmpdir(), 'quizbot-kill-'));
  const storeUrl = `sqlite://${join(dir, 'quiz.sqlite')}`;
  const channelId = fake.guilds[0]!.channels[0]!.id;
  let bot = await startChild(clock, storeUrl);
  const isQuestionPost = (r: RecordedRequest): boolean =>
    r.method === 'POST' && r.path.endsWith('/messages') && nonceOf(r).endsWith('.q0');

  // Discord receives the first question and makes it; the bot dies before it hears back.
  const killed = new Promise((resolve) => bot.child.once('exit', resolve));
  fake.interceptNext(isQuestionPost, () => bot.child.kill('SIGKILL'));
  sendEventStart(fake, { lecture: 'shell-basics', seconds: 30, questions: 1 });
  await killed;
  const question = fake.channelMessages(channelId).find((m) => text(m).includes('Question 1 of 1'));
  expect(question).toBeDefined();

  // The restarted bot resumes at the unsaved step and posts the question again: same nonce, same message.
  bot = await startChild(clock, storeUrl);
  await waitUntil(() => fake.requests.filter(isQuestionPost).length >= 2, 10_000);
  await bot.advance(30_000);
  await waitUntil(() => (fake.message(question!.id)?.edits ?? 0) >= 1, 10_000);
  await bot.advance(1_000);
  await waitUntil(() => fake.channelMessages(channelId).length >= 3, 10_000);
  const messages = fake.channelMessages(channelId).map((m) => text(m));
  expect(messages.filter((m) => m.includes('Question 1 of 1'))).toHaveLength(1);
  expect(messages).toHaveLength(3);
  expect(messages[2]).toContain('Standings');
  bot.child.kill('SIGTERM');
  await new Promise((resolve) => bot.child.once('exit', resolve));
}, 60_000);
