// Two bot processes that both serve the same shard, as for a moment during a handover or with an
// overlapping SHARD_LIST on two machines: both drive the same quiz event from the shared database,
// and each step still runs once (the event's lock in PostgreSQL, and the event re-read under it).
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { FakeDiscord, guildIdOnShard } from '../../src/sandbox/fake-discord.js';
import { TEST_POSTGRES_URL, createTestDatabase, type TestDatabase } from '../support/servers.js';
import { TestClock } from '../support/test-clock.js';
import { sendEventStart } from './events-support.js';
import { waitUntil } from './harness.js';
import { advanceAll, kill, startShardProcess, type ShardProcess } from './shard-process.js';

const GUILD = guildIdOnShard(1, 2, 9);
const CHANNEL = '350000000000000001';

let database: TestDatabase | undefined;
let fake: FakeDiscord | undefined;
const processes: ShardProcess[] = [];

beforeAll(async () => {
  if (TEST_POSTGRES_URL !== undefined) database = await createTestDatabase('shards_overlap');
});
afterAll(() => database?.drop());
afterEach(async () => {
  for (const shard of processes.splice(0)) if (shard.child.exitCode === null) await kill(shard);
  await fake?.stop();
});

it.skipIf(TEST_POSTGRES_URL === undefined)(
  'GIVEN two processes serving the same shard THEN each step of its quiz event runs once',
  async () => {
    const clock = new TestClock();
    fake = await FakeDiscord.start({
      now: () => clock.now(),
      shards: 2,
      guilds: [{ id: GUILD, name: 'Handover', channels: [{ id: CHANNEL, name: 'events' }] }],
    });
    const discord = fake;
    const env = { STORE_URL: database?.url ?? '' };
    const first = await startShardProcess(discord, clock, 1, 2, env);
    processes.push(first);
    const started = sendEventStart(discord, {
      guildId: GUILD,
      channelId: CHANNEL,
      lecture: 'shell-basics',
      seconds: 20,
      questions: 2,
    });
    await discord.waitForCallback(started.id, 10_000);
    await waitUntil(() => discord.channelMessages(CHANNEL).length >= 2, 10_000);

    // A second process for the same shard picks the running event up from the database.
    const second = await startShardProcess(discord, clock, 1, 2, env);
    processes.push(second);
    const both = [first, second];
    for (let i = 0; i < 8; i++) await advanceAll(clock, both, 6_000);
    await waitUntil(() => discord.channelMessages(CHANNEL).length >= 4, 10_000);
    for (let i = 0; i < 3; i++) await advanceAll(clock, both, 6_000);

    // Intro, question 1, question 2, standings: one post each, one reveal edit per question.
    const posts = discord.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages`,
    );
    expect(posts).toHaveLength(4);
    const [, question1, question2] = discord.channelMessages(CHANNEL);
    expect([question1?.edits, question2?.edits]).toEqual([1, 1]);
    expect(discord.channelMessages(CHANNEL)).toHaveLength(4);
  },
  90_000,
);
