// Two shard processes on a PostgreSQL server of this file's own (test/support/pg-cluster.ts: the
// shared TEST_POSTGRES_URL server cannot be stopped under the other files), the fake Discord sharding
// by guild_id >> 22, a burst of 200 members into guilds on both shards, and the database going away
// mid-burst and coming back, three ways:
// - PostgreSQL crashes (pg_ctl stop -m immediate: sessions reset, crash recovery at the restart),
//   while one shard is also SIGKILLed and started again, with a quiz event on it;
// - PostgreSQL shuts down cleanly (pg_ctl stop -m fast: every session ended with an error);
// - a network cut: every connection reset at a TCP proxy while the server itself stays up.
// Every answer a member was told about is stored exactly once; members refused meanwhile were told
// privately to try again, and can once it is back; no process crashes; the quiz event carries on on
// the restarted shard, and no step of it runs twice.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { STORE_UNAVAILABLE_TEXT } from '../../src/discord/respond.js';
import { EPHEMERAL, FakeDiscord, guildIdOnShard, user } from '../../src/sandbox/fake-discord.js';
import type { FakeMessage, FakeUser } from '../../src/sandbox/fake-discord.js';
import { PgCluster, POSTGRES_BIN } from '../support/pg-cluster.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { TestClock } from '../support/test-clock.js';
import { sendEventStart } from './events-support.js';
import { buttonId, embedsOf, waitUntil } from './harness.js';
import { advanceAll, kill, startShardProcess, type ShardProcess } from './shard-process.js';

const GUILDS = [guildIdOnShard(0, 2, 1), guildIdOnShard(1, 2, 2)];
const QUIZ_CHANNELS = ['310000000000000001', '310000000000000002'];
const EVENT_CHANNEL = '320000000000000002';
const PER_GUILD = 100;

/** Without PostgreSQL's server programs a developer's run skips (test/support/servers-setup.ts says so); CI fails. */
const runs = POSTGRES_BIN !== undefined || process.env.CI === 'true';

/** The database going away (begin) and coming back (end). */
interface Outage {
  begin(): Promise<void>;
  end(): Promise<void>;
}

describe.skipIf(!runs)('two shard processes on PostgreSQL, the database lost mid-burst', () => {
  let cluster: PgCluster | undefined;
  let databases = 0;
  let fake: FakeDiscord | undefined;
  let proxy: TcpProxy | undefined;
  const processes: ShardProcess[] = [];

  // One cluster for the file (initdb takes seconds), a database of its own for each test.
  beforeAll(async () => {
    cluster = await PgCluster.create();
  }, 60_000);
  // Stopping the server and removing its files took over 20 s once on a loaded machine.
  afterAll(() => cluster?.destroy(), 60_000);
  afterEach(async () => {
    for (const shard of processes.splice(0)) if (alive(shard)) await kill(shard);
    await proxy?.stop();
    proxy = undefined;
    await fake?.stop();
  });

  function server(): PgCluster {
    if (cluster === undefined) throw new Error('the PostgreSQL cluster did not start');
    return cluster;
  }

  it('GIVEN a 200-member burst, one shard SIGKILLed and restarted, and PostgreSQL crashed (pg_ctl stop -m immediate) and started again mid-burst THEN every acknowledged answer is stored once, the refused can answer after recovery, and the event resumes on its shard, no step twice', async () => {
    const db = server();
    const url = await db.createDatabase(`burst_${++databases}`);
    const logBefore = (await db.log()).length;
    await burstThroughOutage(url, { begin: () => db.stop('immediate'), end: () => db.start() }, true);
    // It was a crash for PostgreSQL: the restart replayed the WAL, so what was acknowledged before
    // the stop survived crash recovery, not a clean checkpoint.
    expect((await db.log()).slice(logBefore)).toContain('automatic recovery in progress');
  }, 120_000);

  it('GIVEN a 200-member burst and PostgreSQL shut down (pg_ctl stop -m fast) and started again mid-burst THEN every acknowledged answer is stored once and the refused can answer after recovery', async () => {
    const db = server();
    const url = await db.createDatabase(`burst_${++databases}`);
    await burstThroughOutage(url, { begin: () => db.stop('fast'), end: () => db.start() }, false);
  }, 120_000);

  it('GIVEN a 200-member burst and a network cut mid-burst (every connection to PostgreSQL reset at a proxy, new ones refused, the server up) THEN every acknowledged answer is stored once and the refused can answer after the cut', async () => {
    const db = server();
    const url = await db.createDatabase(`burst_${++databases}`);
    const cut = await TcpProxy.start({ host: '127.0.0.1', port: db.port });
    proxy = cut;
    const outage: Outage = {
      begin: () => Promise.resolve(cut.cut()),
      end: () => Promise.resolve(cut.restore()),
    };
    await burstThroughOutage(cut.via(url), outage, false, url);
  }, 120_000);

  /**
   * The burst, with `outage` in its middle. With `killShard`, shard 1 also runs a quiz event and is
   * SIGKILLed and started again before the outage. The bots reach the database at `storeUrl`; the
   * test checks what is stored at `checkUrl`.
   */
  async function burstThroughOutage(
    storeUrl: string,
    outage: Outage,
    killShard: boolean,
    checkUrl = storeUrl,
  ): Promise<void> {
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
    const env = { STORE_URL: storeUrl };
    const start = async (shard: number): Promise<ShardProcess> => {
      const started = await startShardProcess(discord, clock, shard, 2, env);
      processes.push(started);
      return started;
    };
    // On a failure, what the clicks were told and what the bots logged beyond info say why.
    const why = (ids: string[]) => ({
      replies: ids.map((id) => ({ id, reply: replyText(discord, id) })),
      logs: processes
        .flatMap((shard) => shard.lines.filter((line) => !line.includes('"level":30')))
        .slice(-20),
    });
    /** Waits until every click in `ids` has a reply; if one never does, says which and why. */
    const allReplied = async (ids: string[], what: string): Promise<void> => {
      try {
        await waitUntil(() => ids.every((id) => replyText(discord, id) !== undefined), 30_000);
      } catch (error) {
        const unanswered = ids.filter((id) => replyText(discord, id) === undefined);
        throw new Error(`${what} not all answered: ${JSON.stringify(why(unanswered))}`, { cause: error });
      }
    };
    const live = [await start(0), await start(1)];
    const shardZero = live[0]!;

    // A one-question event on shard 1's guild, open for 30 s.
    let eventQuestion: FakeMessage | undefined;
    if (killShard) {
      const eventStart = sendEventStart(discord, {
        guildId: GUILDS[1],
        channelId: EVENT_CHANNEL,
        lecture: 'shell-basics',
        seconds: 30,
        questions: 1,
      });
      await discord.waitForCallback(eventStart.id, 10_000);
      await waitUntil(() => discord.channelMessages(EVENT_CHANNEL).length >= 2, 10_000);
      eventQuestion = discord.channelMessages(EVENT_CHANNEL)[1]!;
    }

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
    // with the event, half of them in shard 1's guild also lock in an event answer.
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
        if (eventQuestion !== undefined && i % 2 === 0) {
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
    if (killShard) {
      await kill(live[1]!);
      burst(40, 60); // shard 1 is down: its guild's clicks reach nobody, as on Discord
      live[1] = await start(1);
    } else {
      burst(40, 60);
    }

    // The database goes away while the bots are busy with the clicks just sent, stays away while
    // more arrive, and comes back while yet more arrive.
    const answered = burst(60, 80);
    await outage.begin();
    answered.push(...burst(80, 90));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const back = outage.end();
    answered.push(...burst(90, 95));
    await back;
    const afterRecovery = burst(95, PER_GUILD);
    answered.push(...afterRecovery);

    // Shard 0 never went away: every click it got was answered, one way or another; so was every
    // click from the outage on.
    const shardZeroClicks = [...quizClicks].filter(([, click]) => click.guild === 0).map(([id]) => id);
    await allReplied(shardZeroClicks, "shard 0's clicks");
    await allReplied(answered, 'the clicks from the outage on');
    // While the database was away clicks were refused, privately; once back, the bot served again
    // by itself, and members who were refused could answer.
    const acknowledged = (id: string): boolean => /Correct!|Not quite\./.test(replyText(discord, id) ?? '');
    const refused = [...quizClicks.keys()].filter((id) =>
      replyText(discord, id)?.includes(STORE_UNAVAILABLE_TEXT),
    );
    expect(refused.length, JSON.stringify(why([]))).toBeGreaterThan(0);
    expect(refused.filter((id) => !repliedPrivately(discord, id))).toEqual([]);
    const notAcknowledged = afterRecovery.filter((id) => quizClicks.has(id) && !acknowledged(id));
    expect(notAcknowledged, JSON.stringify(why(notAcknowledged))).toEqual([]);
    const retries = refused.map((id) => {
      const { guild, member: who } = quizClicks.get(id) ?? { guild: 0, member: member(0, 0) };
      const question = quizQuestions[guild]!;
      const click = discord.clickButton({ customId: buttonId(question, 'B'), message: question, user: who });
      quizClicks.set(click.id, { guild, member: who });
      return click.id;
    });
    await allReplied(retries, 'the retries of the refused');
    const retriesRefused = retries.filter((id) => !acknowledged(id));
    expect(retriesRefused, JSON.stringify(why(retriesRefused))).toEqual([]);

    let standings = '';
    if (eventQuestion !== undefined) {
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
      standings = JSON.stringify(embedsOf(discord.channelMessages(EVENT_CHANNEL)[2]!));
    }

    // Nothing crashed: shard 0's first process and shard 1's latest are still running.
    expect(live.map((shard) => alive(shard))).toEqual([true, true]);
    expect(live[0]).toBe(shardZero);

    // Every answer a member was told about is in the database, once.
    const store = await openStore(checkUrl, { logger: { warn: () => undefined } });
    try {
      const told = new Map<string, { guild: number; member: FakeUser }>();
      for (const [id, click] of quizClicks)
        if (acknowledged(id)) told.set(`${click.guild}:${click.member.id}`, click);
      expect(told.size).toBeGreaterThan(PER_GUILD);
      for (const { guild, member: who } of told.values()) {
        const score = await store.getScore(GUILDS[guild]!, who.id);
        expect(score?.score.answered, `${who.username}'s answers`).toBe(1);
        // And it is the answer they were told about: every reply's "You have N points" is what is stored.
        const toldPoints = [...quizClicks]
          .filter(([id, click]) => click.member.id === who.id && acknowledged(id))
          .map(([id]) => pointsIn(replyText(discord, id)));
        expect(new Set(toldPoints), `${who.username}'s points`).toEqual(new Set([score?.score.points]));
      }
      if (eventQuestion === undefined) return;
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
  }
});

function member(guild: number, i: number): FakeUser {
  return user(`6${guild}${String(i).padStart(16, '0')}`, `g${guild}m${i}`);
}

function replyText(fakeDiscord: FakeDiscord, interactionId: string): string | undefined {
  const callback = fakeDiscord.callbacks.find((c) => c.interactionId === interactionId);
  return callback === undefined ? undefined : JSON.stringify(callback.data ?? {});
}

/** The points a reply says the member now has ("You have 1 point."). */
function pointsIn(reply: string | undefined): number | undefined {
  const points = /You have (\d+) points?\./.exec(reply ?? '')?.[1];
  return points === undefined ? undefined : Number(points);
}

function repliedPrivately(fakeDiscord: FakeDiscord, interactionId: string): boolean {
  // The fake's callback data is untyped JSON.
  const data: unknown = fakeDiscord.callbacks.find((c) => c.interactionId === interactionId)?.data;
  const flags: unknown = typeof data === 'object' && data !== null && 'flags' in data ? data.flags : 0;
  return typeof flags === 'number' && (flags & EPHEMERAL) !== 0;
}

function alive(shard: ShardProcess): boolean {
  return shard.child.exitCode === null && shard.child.signalCode === null;
}
