// The folder holding the SQLite file deleted while the bot runs (`rm -rf data/`), through the real
// entry point: SQLite would go on writing into the unlinked file, so the bot must stop claiming
// points are saved, and exit non-zero saying which file went missing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FakeDiscord } from '../../src/sandbox/fake-discord.js';
import { exitWithin, killChildren, logRecords, runEntryPoint, waitForLog } from './entry-process.js';
import { LECTURES_DIR, alice, bob, buttonId, embedText, waitUntil } from './harness.js';

let dir: string;
let fake: FakeDiscord;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quizbot-store-deleted-'));
  fake = await FakeDiscord.start();
});

afterEach(async () => {
  killChildren();
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
});

/** pino's fatal level. */
const FATAL = 60;

it('GIVEN the data folder is deleted while running WHEN a member answers THEN no point is claimed and the bot exits non-zero naming the file', async () => {
  const dataDir = join(dir, 'data');
  const storeFile = join(dataDir, 'quizbot.sqlite');
  const bot = runEntryPoint(dir, {
    DISCORD_TOKEN: 'fake-token',
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    CONTENT_DIR: LECTURES_DIR,
    STORE_URL: `sqlite://${storeFile}`,
    LOG_LEVEL: 'info',
  });
  await waitForLog(bot, /^Ready as QuizBot/);
  const start = fake.sendCommand({
    name: 'quiz',
    options: [{ type: 1, name: 'start', options: [{ type: 3, name: 'lecture', value: 'shell-basics' }] }],
  });
  await fake.waitForCallback(start.id, 10_000);
  const channelId = fake.guilds[0]?.channels[0]?.id ?? '';
  await waitUntil(() => fake.channelMessages(channelId).length === 2, 10_000);
  const [question] = fake.channelMessages(channelId);
  if (!question) throw new Error('no question was posted');
  const saved = fake.clickButton({ customId: buttonId(question, 'B'), message: question, user: alice });
  expect(embedText(await fake.waitForCallback(saved.id, 10_000))).toContain('+1 point');

  await rm(dataDir, { recursive: true, force: true });
  const lost = fake.clickButton({ customId: buttonId(question, 'B'), message: question, user: bob });
  const reply = embedText(await fake.waitForCallback(lost.id, 10_000));

  expect(reply).toContain('Something went wrong on my side');
  expect(reply).not.toContain('+1 point');
  expect(reply).not.toContain('Correct');
  const { code } = await exitWithin(bot, 15_000);
  expect(code).toBe(1);
  const fatal = logRecords(bot).filter((record) => record.level === FATAL);
  expect(fatal).toHaveLength(1);
  expect(fatal[0]?.msg).toContain(storeFile);
  expect(fatal[0]?.msg).toMatch(/deleted/);
});
