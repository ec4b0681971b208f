// The real entry point in its own process, compiled as `npm start` runs it (and once from source, as
// `npm run dev` runs it): .env loading, configuration errors, the ready line, surviving malformed
// gateway events, durability of acknowledged answers, clean stop.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import {
  ADMIN_PERMISSIONS,
  FakeDiscord,
  attachmentOption,
  resolvedAttachments,
} from '../../src/sandbox/fake-discord.js';
import {
  DEPLOY,
  DEV_ENTRY,
  killChildren,
  logMessages,
  runEntryPoint as run,
  waitForLog,
} from './entry-process.js';
import type { BotProcess } from './entry-process.js';
import { LECTURES_DIR, alice, buttonId, embedText, waitUntil } from './harness.js';
import { UPLOADS_DIR } from './library-support.js';

let dir: string;
let fake: FakeDiscord;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quizbot-entry-'));
  fake = await FakeDiscord.start();
});

afterEach(async () => {
  killChildren();
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the entry point in `dir`, with none of the bot's settings in its environment. */
function runEntryPoint(
  extraEnv: Record<string, string> = {},
  command?: { nodeArgs: string[]; script: string },
): BotProcess {
  return run(dir, extraEnv, command);
}

async function writeDotenv(): Promise<void> {
  // STORE_URL is left out on purpose: the default, data/quizbot.sqlite under the working folder, is created.
  await writeFile(
    join(dir, '.env'),
    [
      '# written by the entry-point test',
      'DISCORD_TOKEN=fake-token',
      `DISCORD_CLIENT_ID=${fake.applicationId}`,
      `DISCORD_API_URL=${fake.apiUrl}`,
      `CONTENT_DIR=${LECTURES_DIR}`,
      'LOG_LEVEL=info',
      // As copied from .env.example: empty means one process (discord.js must not read it as its own).
      'SHARDS=',
      'REDIS_URL=',
    ].join('\n'),
  );
}

it('GIVEN no DISCORD_TOKEN outside production THEN npm start serves the sandbox on 127.0.0.1, with its own store', async () => {
  const sandbox = runEntryPoint({ SANDBOX_PORT: '0', CONTENT_DIR: LECTURES_DIR, LOG_LEVEL: 'info' });
  await waitForLog(sandbox, /^Sandbox ready: open http:\/\/127\.0\.0\.1:\d+ /);
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(logMessages(sandbox).join('\n'))?.[0];
  const page = await fetch(`${url}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<script type="module" src="/app.js">');
  expect((await fetch(`${url}/app.js`)).status).toBe(200);
  const state = (await (await fetch(`${url}/api/state`)).json()) as { commands: { path: string[] }[] };
  expect(state.commands.map((c) => c.path.join(' '))).toContain('quiz start');
  sandbox.child.kill('SIGTERM');
  expect((await sandbox.exited).code).toBe(0);
  expect(existsSync(join(dir, 'data', 'sandbox.sqlite'))).toBe(true);
  expect(existsSync(join(dir, 'data', 'quizbot.sqlite'))).toBe(false);
});

it('GIVEN a bad configuration THEN every problem is printed at once and the process exits non-zero', async () => {
  // Production: without a token (and outside it) npm start would be the sandbox instead.
  const bot = runEntryPoint({
    NODE_ENV: 'production',
    DISCORD_CLIENT_ID: 'not-a-number',
    LOG_LEVEL: 'loud',
    DISCORD_API_URL: 'ftp://x',
  });
  const { code } = await bot.exited;
  const stderr = bot.stderr.join('');
  expect(code).toBe(1);
  expect(stderr).toContain('DISCORD_TOKEN is missing');
  expect(stderr).toContain('DISCORD_CLIENT_ID is not valid');
  expect(stderr).toContain('LOG_LEVEL is not valid');
  expect(stderr).toContain('DISCORD_API_URL is not valid');
  expect(fake.requests).toHaveLength(0);
});

it('GIVEN a .env THEN it starts, survives malformed events, keeps acknowledged answers through a kill, and stops cleanly', async () => {
  await writeDotenv();
  const first = runEntryPoint();
  await waitForLog(first, /^Ready as QuizBot: 2 lectures, 1 guild$/);
  // Beside the default store file: the second start below reads its lectures from it.
  expect(existsSync(join(dir, 'data', 'content-cache.jsonl'))).toBe(true);

  // Payloads that make discord.js itself throw while building the interaction.
  const base = { application_id: fake.applicationId, token: 'bad', version: 1, guild_id: fake.guilds[0]!.id };
  fake.dispatch('INTERACTION_CREATE', {
    ...base,
    id: '1300000000000000001',
    type: 3,
    data: { custom_id: 'q1|b|0', component_type: 2 },
  });
  fake.dispatch('INTERACTION_CREATE', {
    ...base,
    id: '1300000000000000002',
    type: 2,
    data: { name: 'quiz', type: 1 },
  });
  await waitForLog(first, /unhandled promise rejection/);

  const start = fake.sendCommand({
    name: 'quiz',
    options: [{ type: 1, name: 'start', options: [{ type: 3, name: 'lecture', value: 'shell-basics' }] }],
  });
  await fake.waitForCallback(start.id, 10_000);
  const channelId = fake.guilds[0]!.channels[0]!.id;
  await waitUntil(() => fake.channelMessages(channelId).length === 2, 10_000);
  const [question] = fake.channelMessages(channelId);
  const click = fake.clickButton({ customId: buttonId(question!, 'B'), message: question!, user: alice });
  expect(embedText(await fake.waitForCallback(click.id, 10_000))).toContain('+1 point');

  // Killed with no chance to clean up: the acknowledged answer must already be on disk.
  first.child.kill('SIGKILL');
  await first.exited;
  const store = await openStore(`sqlite://${join(dir, 'data', 'quizbot.sqlite')}`);
  try {
    expect((await store.getScore(fake.guilds[0]!.id, alice.id))?.score.points).toBe(1);
  } finally {
    await store.close();
  }

  const second = runEntryPoint();
  await waitForLog(second, /^Ready as/);
  const score = fake.sendCommand({
    name: 'quiz',
    options: [{ type: 1, name: 'score', options: [] }],
    user: alice,
  });
  expect(embedText(await fake.waitForCallback(score.id, 10_000))).toContain('Points: 1');
  const putCommands = fake.requests.filter(
    (request) => request.method === 'PUT' && request.path.endsWith('/commands'),
  );
  expect(putCommands).toHaveLength(1);

  second.child.kill('SIGTERM');
  expect((await second.exited).code).toBe(0);
  expect(logMessages(second)).toContain('stopped: Discord connection and store closed');
});

it('GIVEN the compiled bot THEN /lecture add checks the file in its parser thread (dist/parse-worker.js) and serves it', async () => {
  await writeDotenv();
  const bot = runEntryPoint();
  await waitForLog(bot, /^Ready as/);
  const attachment = fake.hostAttachment('css-colors.md', readFileSync(join(UPLOADS_DIR, 'css-colors.md')));
  const add = fake.sendCommand({
    name: 'lecture',
    options: [{ type: 1, name: 'add', options: [attachmentOption('file', attachment)] }],
    user: alice,
    permissions: ADMIN_PERMISSIONS,
    resolved: resolvedAttachments([attachment]),
  });
  await fake.waitForCallback(add.id, 10_000);
  await fake.waitForRequest(
    (request) => request.method === 'PATCH' && request.path.includes(`/${add.token}/messages/@original`),
    10_000,
  );
  const reply = fake.originalResponse(add.token);
  expect(JSON.stringify(reply?.embeds ?? [])).toContain('saved: \\"Colours in CSS\\"');
  const start = fake.sendCommand({
    name: 'quiz',
    options: [{ type: 1, name: 'start', options: [{ type: 3, name: 'lecture', value: 'css-colors' }] }],
  });
  expect(embedText(await fake.waitForCallback(start.id, 10_000))).toContain('Colours in CSS');
  bot.child.kill('SIGTERM');
  expect((await bot.exited).code).toBe(0);
});

it('GIVEN npm run dev (the TypeScript source through tsx) THEN it starts and stops cleanly on SIGTERM', async () => {
  await writeDotenv();
  const bot = runEntryPoint({}, DEV_ENTRY);
  await waitForLog(bot, /^Ready as QuizBot: 2 lectures, 1 guild$/);

  bot.child.kill('SIGTERM');

  expect((await bot.exited).code).toBe(0);
  expect(logMessages(bot)).toContain('stopped: Discord connection and store closed');
});

it('GIVEN npm run deploy with DISCORD_GUILD_ID THEN the commands are registered to that server and it exits', async () => {
  await writeDotenv();
  const guildId = fake.guilds[0]!.id;
  const deploy = runEntryPoint({ DISCORD_GUILD_ID: guildId }, DEPLOY);
  expect((await deploy.exited).code).toBe(0);
  const registered = fake.registeredCommands(guildId) as { name: string }[];
  expect(registered.map((command) => command.name)).toEqual(['quiz', 'quizevent', 'lecture', 'quizstats']);
  expect(fake.registeredCommands()).toEqual([]);
  expect(
    logMessages(deploy).some((msg) => msg === `registered 4 slash command(s) for server ${guildId}`),
  ).toBe(true);
});
