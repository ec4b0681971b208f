// Two shard processes on PostgreSQL, the fake Discord sharding by guild_id >> 22: a burst of 200
// members into guilds on both shards, one shard SIGKILLed in the middle and started again, and the
// database cut off (every connection dropped, new ones refused, as when PostgreSQL stops) and back
// mid-burst. Every answer a member was told about is stored exactly once; the quiz event that ran on
// the killed shard carries on there, and no step of it runs twice.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { STORE_UNAVAILABLE_TEXT } from '../../src/discord/respond.js';
import { ADMIN_PERMISSIONS, FakeDiscord, guildIdOnShard, user } from '../../src/sandbox/fake-discord.js';
import type { FakeMessage, FakeUser } from '../../src/sandbox/fake-discord.js';
import { TEST_POSTGRES_URL, createTestDatabase, type TestDatabase } from '../support/servers.js';
import { TcpProxy, hostAndPort } from '../support/tcp-proxy.js';
import { TestClock } from '../support/test-clock.js';
import { moderator } from './events-support.js';
import { buttonId, embedsOf, waitUntil } from './harness.js';
import { advanceAll, kill, startShardProcess, type ShardProcess } from './shard-process.js';

const GUILDS = [guildIdOnShard(0, 2, 1), guildIdOnShard(1, 2, 2)];
const QUIZ_CHANNELS = ['310000000000000001', '310000000000000002'];
const EVENT_CHANNEL = '320000000000000002';
const PER_GUILD = 100;

let database: TestDatabase;
let fake: FakeDiscord | undefined;
let proxy: TcpProxy | undefined;
const processes: ShardProcess[] = [];

beforeAll(async () => {
  if (TEST_POSTGRES_URL !== undefined) database = await createTestDatabase('shards_burst');
});
afterAll(() => database?.drop());
afterEach(async () => {
  for (const shard of processes.splice(0)) if (shard.child.exitCode === null) await kill(shard);
  await proxy?.stop();
  await fake?.stop();
});

function member(guild: number, i: number): FakeUser {
  return user(`6${guild}${String(i).padStart(16, '0')}`, `g${guild}m${i}`);
}

function replyText(fakeDiscord: FakeDiscord, interactionId: string): string | undefined {
  const callback = fakeDiscord.callbacks.find((c) => c.interactionId === interactionId);
  return callback === undefined ? undefined : JSON.stringify(callback.data ?? {});
}

it.skipIf(TEST_POSTGRES_URL === undefined)(
  'GIVEN two shard processes on PostgreSQL, a 200-member burst, a SIGKILL of one shard and a database outage THEN every acknowledged answer is stored once and the event resumes on its shard, no step twice',
  async () => {
    const clock = new TestClock();
    fake = await FakeDiscord.start({
      now: () => clock.now(),
      shards: 2,
      guilds: [
        { id: GUILDS[0]!, name: 'Shard zero', channels: [{ id: QUIZ_CHANNELS[0]!, name: 'quiz' }] },
        {
          id: GUILDS[1]!,
          name: 'Shard one',
          channels: [
            { id: QUIZ_CHANNELS[1]!, name: 'quiz' },
            { id: EVENT_CHANNEL, name: 'events' },
          ],
        },
      ],
    });
    const discord = fake;
    proxy = await TcpProxy.start(hostAndPort(database.url));
    const env = { STORE_URL: proxy.via(database.url) };
    const start = async (shard: number): Promise<ShardProcess> => {
      const started = await startShardProcess(discord, clock, shard, 2, env);
      processes.push(started);
      return started;
    };
    const live = [await start(0), await start(1)];

    // A one-question event on shard 1's guild, open for 30 s.
    const eventStart = discord.sendCommand({
      name: 'quizevent',
      guildId: GUILDS[1],
      channelId: EVENT_CHANNEL,
      user: moderator,
      permissions: ADMIN_PERMISSIONS,
      options: [
        {
          type: 1,
          name: 'start',
          options: [
            { type: 3, name: 'lecture', value: 'shell-basics' },
            { type: 4, name: 'seconds', value: 30 },
            { type: 4, name: 'questions', value: 1 },
          ],
        },
      ],
    });
    await discord.waitForCallback(eventStart.id, 10_000);
    await waitUntil(() => discord.channelMessages(EVENT_CHANNEL).length >= 2, 10_000);
    const eventQuestion = discord.channelMessages(EVENT_CHANNEL)[1]!;

    // A posted quiz in each guild, each posted by its own shard's process.
    const quizQuestions: FakeMessage[] = [];
    for (const [g, guildId] of GUILDS.entries()) {
      const sent = discord.sendCommand({
        name: 'quiz',
        guildId,
        channelId: QUIZ_CHANNELS[g],
        options: [{ type: 1, name: 'start', options: [{ type: 3, name: 'lecture', value: 'shell-basics' }] }],
      });
      await discord.waitForCallback(sent.id, 10_000);
      await waitUntil(() => discord.channelMessages(QUIZ_CHANNELS[g]!).length >= 2, 10_000);
      quizQuestions.push(discord.channelMessages(QUIZ_CHANNELS[g]!)[0]!);
    }

    // The burst: every member double-clicks the quiz question of their guild (B, then C at once);
    // in shard 1's guild half of them also lock in an event answer.
    const quizClicks = new Map<string, { guild: number; member: FakeUser }>();
    const eventClicks = new Map<string, FakeUser>();
    const burst = (from: number, to: number): string[] => {
      const sent: string[] = [];
      for (let i = from; i < to; i++) {
        for (const g of [0, 1]) {
          for (const label of ['B', 'C']) {
            const question = quizQuestions[g]!;
            const click = discord.clickButton({
              customId: buttonId(question, label),
              message: question,
              user: member(g, i),
            });
            quizClicks.set(click.id, { guild: g, member: member(g, i) });
            sent.push(click.id);
          }
        }
        if (i % 2 === 0) {
          const voter = member(2, i);
          const click = discord.clickButton({
            customId: buttonId(eventQuestion, 'A'),
            message: eventQuestion,
            user: voter,
          });
          eventClicks.set(click.id, voter);
          sent.push(click.id);
        }
      }
      return sent;
    };
    burst(0, 40);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await kill(live[1]!);
    burst(40, 60); // shard 1 is down: its guild's clicks reach nobody, as on Discord
    live[1] = await start(1);

    // The database goes away mid-burst and comes back.
    const afterRestart = burst(60, 80);
    await new Promise((resolve) => setTimeout(resolve, 100));
    proxy.cut();
    afterRestart.push(...burst(80, 90));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    proxy.restore();
    const afterRecovery = burst(90, PER_GUILD);
    afterRestart.push(...afterRecovery);

    // Shard 0 never went away: every click it got was answered, one way or another.
    const shardZeroClicks = [...quizClicks].filter(([, click]) => click.guild === 0).map(([id]) => id);
    await waitUntil(() => shardZeroClicks.every((id) => replyText(discord, id) !== undefined), 30_000);
    await waitUntil(() => afterRestart.every((id) => replyText(discord, id) !== undefined), 30_000);
    // While the database was away clicks were refused, privately; once back, the bot served again
    // by itself, and members who were refused could answer.
    const acknowledged = (id: string): boolean => /Correct!|Not quite\./.test(replyText(discord, id) ?? '');
    const refused = [...quizClicks.keys()].filter((id) =>
      replyText(discord, id)?.includes(STORE_UNAVAILABLE_TEXT),
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(afterRecovery.filter((id) => quizClicks.has(id) && !acknowledged(id))).toEqual([]);
    const retries = [...new Set(refused)].map((id) => {
      const { guild, member: who } = quizClicks.get(id) ?? { guild: 0, member: member(0, 0) };
      const question = quizQuestions[guild]!;
      const click = discord.clickButton({ customId: buttonId(question, 'B'), message: question, user: who });
      quizClicks.set(click.id, { guild, member: who });
      return click.id;
    });
    await waitUntil(() => retries.every((id) => replyText(discord, id) !== undefined), 30_000);
    expect(retries.filter((id) => !acknowledged(id))).toEqual([]);

    // The event closes, reveals and ranks on the restarted shard 1.
    await advanceAll(clock, live, 30_000);
    await waitUntil(() => (discord.message(eventQuestion.id)?.edits ?? 0) >= 1, 10_000);
    await advanceAll(clock, live, 1_000);
    await waitUntil(() => discord.channelMessages(EVENT_CHANNEL).length >= 3, 10_000);
    await advanceAll(clock, live, 1_000);
    // No step ran twice: one post each for the intro, the question and the standings; one reveal.
    const eventPosts = discord.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${EVENT_CHANNEL}/messages`,
    );
    expect(eventPosts).toHaveLength(3);
    expect(discord.message(eventQuestion.id)?.edits).toBe(1);
    const standings = JSON.stringify(embedsOf(discord.channelMessages(EVENT_CHANNEL)[2]!));

    // Every answer a member was told about is in the database, once.
    const store = await openStore(database.url, { logger: { warn: () => undefined } });
    try {
      const told = new Map<string, { guild: number; member: FakeUser }>();
      for (const [id, click] of quizClicks) {
        const reply = replyText(discord, id) ?? '';
        if (reply.includes('Correct!') || reply.includes('Not quite.'))
          told.set(`${click.guild}:${click.member.id}`, click);
      }
      expect(told.size).toBeGreaterThan(PER_GUILD / 2);
      for (const { guild, member: who } of told.values()) {
        const score = await store.getScore(GUILDS[guild]!, who.id);
        expect(score?.score.answered, `${who.username}'s answers`).toBe(1);
      }
      const lockedIn = [...eventClicks].filter(([id]) =>
        replyText(discord, id)?.includes('Answer locked in'),
      );
      expect(lockedIn.length).toBeGreaterThan(0);
      for (const [, voter] of lockedIn) {
        expect(
          (await store.getScore(GUILDS[1]!, voter.id))?.score.answered,
          `${voter.username}'s event answer`,
        ).toBe(1);
      }
      const participants = Number(/(\d+) participants?/.exec(standings)?.[1]);
      expect(participants).toBeGreaterThanOrEqual(new Set(lockedIn.map(([, voter]) => voter.id)).size);
    } finally {
      await store.close();
    }
  },
  120_000,
);
