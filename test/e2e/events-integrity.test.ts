// Quiz events under attack and failure: forged buttons from another server, cancels racing a post,
// a crash between posting and saving, a full disk mid-round, a hundred events to list, and buttons
// of events that are over. On a clock the test moves, so nothing waits on real time.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGuildSpec, RecordedRequest } from '../../src/sandbox/fake-discord.js';
import { MEMBER_PERMISSIONS, user } from '../../src/sandbox/fake-discord.js';
import { fillDisk } from '../support/faults.js';
import { TestClock } from '../support/test-clock.js';
import { buttonStates, channelHas, messageText, moderator, option, quizevent } from './events-support.js';
import type { CommandOption } from './harness.js';
import {
  Harness,
  alice,
  bob,
  buttonId,
  buttonsOf,
  carol,
  embedText,
  embedsOf,
  waitUntil,
} from './harness.js';

const TIMING = { introSeconds: 0, revealSeconds: 1, retryDelayMs: 1_000 };
const HOME: FakeGuildSpec = {
  id: '200000000000000001',
  name: 'Study Group',
  channels: [
    { id: '300000000000000001', name: 'quiz' },
    { id: '300000000000000003', name: 'chat' },
  ],
};
const OTHER: FakeGuildSpec = {
  id: '200000000000000002',
  name: 'Another Group',
  channels: [{ id: '300000000000000002', name: 'general' }],
};
const mallory = user('500000000000000066', 'mallory');

let h: Harness;
let clock: TestClock;
afterEach(async () => {
  await h.close();
});

async function start(guilds: FakeGuildSpec[] = [HOME], botPermissions?: string): Promise<void> {
  clock = new TestClock();
  h = await Harness.start(
    {},
    { events: TIMING, clock, fake: { guilds, ...(botPermissions ? { botPermissions } : {}) } },
  );
}

/** /quizevent start with 10-second questions; returns the id and the first question's message. */
async function startEvent(extra: CommandOption[] = []) {
  const reply = await quizevent(h, 'start', [
    option('lecture', 'shell-basics'),
    option('seconds', 10),
    ...extra,
  ]);
  const eventId = /Event id ([0-9A-Z]{6})/.exec(reply.text)?.[1];
  if (eventId === undefined) throw new Error(`no event started: ${reply.text}`);
  const [, question] = await channelHas(h, 2);
  if (question === undefined) throw new Error('no question posted');
  return { eventId, question };
}

/** The nonce a request was posted with, or '' (Discord JSON is loosely typed in the fake). */
function nonceOf(request: RecordedRequest): string {
  const body: unknown = request.body;
  const nonce = typeof body === 'object' && body !== null && 'nonce' in body ? body.nonce : undefined;
  return typeof nonce === 'string' ? nonce : '';
}

const isQuestionPost = (index: number) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path.endsWith('/messages') && nonceOf(r).endsWith(`.q${index}`);

describe('event buttons belong to their server and channel', () => {
  it('GIVEN a member of another server clicking a forged event button THEN refused, not ranked, no point there', async () => {
    await start([HOME, OTHER]);
    const { question } = await startEvent([option('questions', 1)]);
    expect(embedText(await h.click(question, 'B', alice))).toContain('Answer locked in: B');

    // The same custom_id on a message in the other server's channel, and in another channel here.
    const elsewhere = {
      ...question,
      id: '800000000000000001',
      channelId: OTHER.channels[0]!.id,
      guildId: OTHER.id,
    };
    expect(embedText(await h.click(elsewhere, 'B', mallory))).toContain('another channel or server');
    const otherChannel = { ...question, id: '800000000000000002', channelId: HOME.channels[1]!.id };
    expect(embedText(await h.click(otherChannel, 'B', mallory))).toContain('another channel or server');

    await clock.advance(10_000);
    await clock.advance(1_000);
    const standings = messageText((await channelHas(h, 3))[2]!);
    expect(standings).toContain(`<@${alice.id}>`);
    expect(standings).not.toContain(mallory.id);
    expect(standings).toContain('1 participant');
    await waitUntil(() => h.bot!.events.runner.activeEvents().length === 0);
    const score = h.fake.sendCommand({
      name: 'quiz',
      options: [{ type: 1, name: 'score' }],
      user: mallory,
      guildId: OTHER.id,
    });
    expect(embedText(await h.callback(score.id))).toContain('has not answered any question in this server');
  });
});

describe('cancel', () => {
  it('GIVEN a cancel that races the first question being posted THEN confirmed, and no clickable question is left', async () => {
    await start();
    let cancelled: ReturnType<typeof quizevent> | undefined;
    // The moderator cancels at the very moment Discord receives the first question.
    h.fake.interceptNext(isQuestionPost(0), (request) => {
      const eventId = nonceOf(request).split('.')[0]!;
      cancelled = quizevent(h, 'cancel', [option('id', eventId)]);
    });
    await quizevent(h, 'start', [option('lecture', 'shell-basics'), option('seconds', 10)]);
    await waitUntil(() => cancelled !== undefined);
    expect((await cancelled!).text).toContain('Quiz event cancelled');

    const question = h.fake
      .channelMessages(h.channelId)
      .find((m) => messageText(m).includes('Question 1 of 2'))!;
    await waitUntil(() => buttonStates(h.fake.message(question.id)!).every((button) => button.disabled));
    expect(messageText(h.fake.message(question.id)!)).toContain('cancelled');
    expect(embedText(await h.click(question, 'B', alice))).toContain('This quiz event was cancelled');
    await clock.advance(60_000);
    // Intro, the first question (closed) and the notice: nothing after the cancel.
    expect(h.fake.channelMessages(h.channelId).map((m) => messageText(m).split('\n')[0])).toHaveLength(3);
    expect(h.fake.channelMessages(h.channelId).some((m) => messageText(m).includes('Question 2'))).toBe(
      false,
    );
  });
});

describe('a failed save between posting a message and recording it', () => {
  it('GIVEN the save after a question post fails and the bot restarts THEN each event message is posted once', async () => {
    await start();
    const startAt = Math.ceil((clock.now() + 60_000) / 1000) * 1000;
    await quizevent(h, 'schedule', [
      option('lecture', 'shell-basics'),
      option('start', new Date(startAt).toISOString()),
      option('seconds', 10),
      option('questions', 1),
    ]);
    // Discord makes the message; then the store fails, so the bot never records that it posted.
    let disk: ReturnType<typeof fillDisk> | undefined;
    h.fake.interceptNext(isQuestionPost(0), () => {
      disk = fillDisk(h.bot!.store);
    });
    await clock.advanceTo(startAt);
    await waitUntil(() => (disk?.refused ?? 0) > 0);
    await h.stopBot();
    await h.startBot();

    await clock.advance(1_000);
    const posts = h.fake.requests.filter(isQuestionPost(0));
    expect(posts.length).toBeGreaterThanOrEqual(2);
    const questions = h.fake
      .channelMessages(h.channelId)
      .filter((m) => messageText(m).includes('Question 1 of 1'));
    expect(questions).toHaveLength(1);
    expect(embedText(await h.click(questions[0]!, 'B', alice))).toContain('Answer locked in: B');

    await clock.advance(10_000);
    await clock.advance(1_000);
    await waitUntil(() => h.bot!.events.runner.activeEvents().length === 0);
    const texts = h.fake.channelMessages(h.channelId).map((m) => messageText(m));
    expect(texts).toHaveLength(3);
    expect(texts[1]).toContain("time's up");
    expect(texts[2]).toContain('Standings');
  });
});

describe('a full disk mid-round', () => {
  it('GIVEN the disk fills during a question and is freed again THEN no phantom answers, and every acknowledged one counts', async () => {
    await start();
    const { question } = await startEvent([option('questions', 1)]);
    expect(embedText(await h.click(question, 'B', alice))).toContain('Answer locked in: B');

    let disk = fillDisk(h.bot!.store);
    // Not saved, so not acknowledged; and the retry is not told "already locked in" either.
    expect(embedText(await h.click(question, 'A', bob))).toContain('Something went wrong');
    expect(embedText(await h.click(question, 'A', bob))).toContain('Something went wrong');
    disk.free();
    expect(embedText(await h.click(question, 'A', bob))).toContain('Answer locked in: A');
    expect(embedText(await h.click(question, 'C', bob))).toContain('already locked in');
    expect(embedText(await h.click(question, 'B', carol))).toContain('Answer locked in: B');

    // The disk fills again as time runs out: the close fails and is retried until space is freed.
    disk = fillDisk(h.bot!.store);
    await clock.advance(10_000);
    await clock.advance(1_000);
    expect(disk.refused).toBeGreaterThan(0);
    expect(h.fake.message(question.id)?.edits).toBe(0);
    disk.free();
    await clock.advance(1_000);
    await waitUntil(() => (h.fake.message(question.id)?.edits ?? 0) >= 1);
    expect(messageText(h.fake.message(question.id)!)).toContain(
      '▫️ **A.** 1 vote · 33%\n✅ **B.** 2 votes · 67%',
    );

    await clock.advance(1_000);
    const standings = messageText((await channelHas(h, 3))[2]!);
    expect(standings).toContain('3 participants');
    for (const member of [alice, bob, carol]) expect(standings).toContain(`<@${member.id}>`);
  });
});

describe('buttons of events that are over', () => {
  it('GIVEN a finished event or an unknown one THEN the reply says which', async () => {
    await start();
    const { eventId, question } = await startEvent([option('questions', 1)]);
    await clock.advance(10_000);
    await clock.advance(1_000);
    await waitUntil(() => h.bot!.events.runner.activeEvents().length === 0);
    expect(embedText(await h.click(question, 'A', alice))).toContain('This quiz event has ended');
    const unknown = buttonId(question, 'A').replace(eventId, 'ZZZZZZ');
    expect(embedText(await h.clickRaw(question, unknown, alice))).toContain(
      'This quiz event no longer exists.',
    );
  });
});

describe('/quizevent list', () => {
  it('GIVEN 100 scheduled events THEN list pages through all of them with buttons, for moderators only', async () => {
    // Without Manage Events the bot makes no Discord events: 100 fewer requests under the rate limit.
    await start([HOME], MEMBER_PERMISSIONS);
    for (let hour = 1; hour <= 100; hour++) {
      const reply = await quizevent(h, 'schedule', [
        option('lecture', 'shell-basics'),
        option('start', `in ${hour}h`),
      ]);
      expect(reply.text).toContain('Quiz event scheduled');
    }
    const expected = (await h.bot!.events.store.listByGuild(HOME.id)).map((event) => event.id);
    expect(expected).toHaveLength(100);

    const sent = h.fake.sendCommand({
      name: 'quizevent',
      options: [{ type: 1, name: 'list' }],
      user: moderator,
      permissions: '8',
    });
    let page = await h.callback(sent.id);
    const seen: string[] = [];
    let message = h.fake.originalResponse(sent.token)!;
    for (let pageNumber = 1; pageNumber <= 10; pageNumber++) {
      const text = embedsOf(message)[0]?.description ?? '';
      seen.push(...[...text.matchAll(/^`([0-9A-Z]{6})`/gm)].map((m) => m[1]!));
      expect(embedsOf(message)[0]?.footer?.text).toContain(`Page ${pageNumber} of 10 · 100 events`);
      expect(text).not.toContain('…');
      const next = buttonsOf(message).find((button) => button.label === 'Next ▶')!;
      expect(next.disabled).toBe(pageNumber === 10);
      if (pageNumber < 10) {
        const click = h.fake.clickButton({
          customId: next.custom_id!,
          message,
          user: moderator,
          permissions: '8',
        });
        page = await h.callback(click.id);
        expect(page.type).toBe(7);
        message = h.fake.message(message.id)!;
      }
    }
    expect(seen).toEqual(expected);

    // A member who got hold of the button is refused.
    const refused = await h.clickRaw(message, buttonsOf(message)[0]!.custom_id!, alice);
    expect(embedText(refused)).toContain('Only moderators');
  });
});
