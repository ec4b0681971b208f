// Discord closing the gateway for good (bad token, refused intents, ...), through the real entry
// point: the process must end with a non-zero code, so that a supervisor restarts it or alerts, and
// say in one line what the operator has to fix.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startBot as startBotInProcess } from '../../src/bot.js';
import type { Config } from '../../src/config.js';
import { EventStore } from '../../src/events/store.js';
import { openStore } from '../../src/store/index.js';
import { FakeDiscord } from '../../src/sandbox/fake-discord.js';
import type { StartOptions } from '../../src/sandbox/fake-discord.js';
import { errorMessages, exitWithin, killChildren, runEntryPoint, waitForLog } from './entry-process.js';
import type { BotProcess } from './entry-process.js';
import { LECTURES_DIR } from './harness.js';

let dir: string;
let fake: FakeDiscord | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quizbot-fatal-'));
});

afterEach(async () => {
  killChildren();
  await fake?.stop();
  fake = undefined;
  await rm(dir, { recursive: true, force: true });
});

const storeUrl = () => `sqlite://${join(dir, 'data', 'quizbot.sqlite')}`;

async function startFake(options: StartOptions = {}): Promise<FakeDiscord> {
  fake = await FakeDiscord.start(options);
  return fake;
}

function startBot(discord: FakeDiscord): BotProcess {
  return runEntryPoint(dir, {
    DISCORD_TOKEN: 'fake-token',
    DISCORD_CLIENT_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    CONTENT_DIR: LECTURES_DIR,
    STORE_URL: storeUrl(),
    LOG_LEVEL: 'info',
  });
}

/** What the operator must read for each close code: the cause and what to change. */
const FATAL_CLOSES: [code: number, cause: RegExp[]][] = [
  [4004, [/token/i, /Reset Token/, /Developer Portal/, /DISCORD_TOKEN/]],
  [4013, [/intents/i, /Guilds/]],
  [4014, [/privileged/i, /Guilds/, /Developer Portal/]],
  [4010, [/shard/i]],
  [4011, [/sharding/i]],
  [4012, [/API version/i]],
];

describe('GIVEN Discord closes the gateway on IDENTIFY', () => {
  // Through the real entry point for a bad token and refused intents, the two an operator meets.
  it.each(FATAL_CLOSES.filter(([code]) => code === 4004 || code === 4014))(
    'WITH %i THEN the bot exits non-zero with one error line naming the cause',
    async (code, cause) => {
      const bot = startBot(await startFake({ identifyCloseCode: code }));

      const { code: exitCode } = await exitWithin(bot, 15_000);

      expect(exitCode).toBe(1);
      const errors = errorMessages(bot);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`${code}`);
      for (const pattern of cause) expect(errors[0]).toMatch(pattern);
    },
  );

  // The rest in process: startBot rejects with the same explained error index.ts prints and exits on.
  it.each(FATAL_CLOSES.filter(([code]) => code !== 4004 && code !== 4014))(
    'WITH %i THEN startBot stops and rejects, naming the cause',
    async (code, cause) => {
      const discord = await startFake({ identifyCloseCode: code });
      const config: Config = {
        discordToken: 'fake-token',
        clientId: discord.applicationId,
        guildId: null,
        storeUrl: storeUrl(),
        contentDir: LECTURES_DIR,
        apiUrl: discord.apiUrl,
        logLevel: 'silent',
      };
      const failure = await startBotInProcess(config, { logger: pino({ level: 'silent' }) }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      const message = failure instanceof Error ? failure.message : '';
      expect(message).toContain(`${code}`);
      for (const pattern of cause) expect(message).toMatch(pattern);
    },
  );
});

it('GIVEN Discord answers the token with 401 before the gateway THEN the bot exits non-zero saying the token is wrong', async () => {
  const discord = await startFake();
  discord.failNext((request) => request.path === '/gateway/bot', 401, 0, 1, '401: Unauthorized');
  const bot = startBot(discord);

  const { code } = await exitWithin(bot, 15_000);

  expect(code).toBe(1);
  const errors = errorMessages(bot);
  expect(errors).toHaveLength(1);
  for (const pattern of [/token/i, /Reset Token/, /DISCORD_TOKEN/]) expect(errors[0]).toMatch(pattern);
});

/** A weekly quiz an hour from now: the event runner keeps a timer for it. */
async function scheduleQuizEvent(discord: FakeDiscord): Promise<void> {
  const store = await openStore(storeUrl());
  try {
    const guild = discord.guilds[0];
    const channel = guild?.channels[0];
    if (!guild || !channel) throw new Error('the fake has no channel');
    const created = await new EventStore(store.keyv).create(
      {
        guildId: guild.id,
        channelId: channel.id,
        lectureId: 'shell-basics',
        createdBy: '500000000000000009',
        startAt: Date.now() + 3_600_000,
        zone: 'UTC',
        repeat: 'weekly',
        secondsPerQuestion: 30,
        questionLimit: null,
        reminderMinutes: 0,
        introSeconds: 0,
      },
      Date.now(),
    );
    if (!created.ok) throw new Error(created.error);
  } finally {
    await store.close();
  }
}

describe('GIVEN the bot is ready with a quiz event scheduled', () => {
  it.each([
    ['Discord closes the connection with 4004', (discord: FakeDiscord) => discord.disconnectAll(4004)],
    [
      'the token is reset, so the reconnect is refused with 4004',
      (discord: FakeDiscord) => {
        discord.rejectAuthentication(4004);
        discord.disconnectAll(4000);
      },
    ],
  ])('WHEN %s THEN the bot stops, exits non-zero and says the token is wrong', async (_, revoke) => {
    const discord = await startFake();
    await scheduleQuizEvent(discord);
    const bot = startBot(discord);
    await waitForLog(bot, /^Ready as QuizBot/);
    await waitForLog(bot, /^quiz event runner started$/);

    revoke(discord);
    const { code } = await exitWithin(bot, 15_000);

    expect(code).toBe(1);
    const errors = errorMessages(bot);
    expect(errors).toHaveLength(1);
    for (const pattern of [/4004/, /token/i, /Reset Token/, /DISCORD_TOKEN/])
      expect(errors[0]).toMatch(pattern);
    await waitForLog(bot, /^stopped: Discord connection and store closed$/, 1_000);
  });
});
