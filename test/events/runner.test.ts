import Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QuizEvent } from '../../src/events/model.js';
import { applyStep } from '../../src/events/engine.js';
import { EventRunner } from '../../src/events/runner.js';
import { GradedAnswers } from '../../src/quiz/graded.js';
import type { GradedAnswer } from '../../src/quiz/graded.js';
import { EventStore } from '../../src/events/store.js';
import type { StepLocks } from '../../src/store/backend.js';
import { FakeActions, QUESTIONS, RecordingScores, eventInput, recordingLog } from './fixtures.js';

const START = Date.parse('2026-05-04T18:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;

// Timeline of a 3-question event with a 10 s intro, 5 s questions and 5 s pauses after each reveal:
// intro 0 s; Q1 10–15 s; Q2 20–25 s; Q3 30–35 s; standings 40 s.
const OPENS = [10, 20, 30].map((s) => START + s * SECOND);
const CLOSES = [15, 25, 35].map((s) => START + s * SECOND);

let keyv: Keyv;
let store: EventStore;
let runners: EventRunner[];
let scores: RecordingScores;
let graded: GradedAnswer[];

beforeEach(() => {
  vi.useFakeTimers({ now: START - 20 * MINUTE });
  keyv = new Keyv();
  store = new EventStore(keyv);
  runners = [];
  scores = new RecordingScores();
  graded = [];
});

afterEach(async () => {
  for (const runner of runners) await runner.stop();
  vi.useRealTimers();
});

function newRunner(actions: FakeActions, log = recordingLog()): EventRunner {
  const runner = new EventRunner({
    store,
    actions,
    scores,
    graded: new GradedAnswers([{ answerGraded: (answer) => Promise.resolve(void graded.push(answer)) }]),
    log,
    retryDelayMs: 2 * SECOND,
    maxAttempts: 3,
  });
  runners.push(runner);
  return runner;
}

async function schedule(
  runner: EventRunner,
  overrides: Parameters<typeof eventInput>[0] = {},
): Promise<QuizEvent> {
  const result = await runner.schedule(eventInput({ startAt: START, ...overrides }));
  if (!result.ok) throw new Error(result.error);
  return result.event;
}

/** Moves the fake clock to `at`, letting every timer and step due on the way run. */
async function runUntil(at: number, runner?: EventRunner): Promise<void> {
  await vi.advanceTimersByTimeAsync(Math.max(0, at - Date.now()));
  await runner?.whenIdle();
}

/** A member clicks at the current fake time. */
function answer(event: QuizEvent, index: number, userId: string, choice: number) {
  return store.recordAnswer({
    eventId: event.id,
    occurrence: event.occurrence,
    questionIndex: index,
    userId,
    choice,
    at: Date.now(),
    guildId: event.guildId,
    channelId: event.channelId,
  });
}

describe('EventRunner: a full event', () => {
  it('GIVEN three 5-second questions and several members THEN it posts, reveals the right tallies and ranks them', async () => {
    const actions = new FakeActions();
    const runner = newRunner(actions);
    await runner.start();
    const event = await schedule(runner);

    await runUntil(START - 10 * MINUTE - 1, runner);
    expect(actions.calls).toEqual([]);
    await runUntil(START - 10 * MINUTE, runner);
    expect(actions.types()).toEqual(['reminder']);

    await runUntil(OPENS[0]!, runner);
    expect(actions.types()).toEqual(['reminder', 'intro', 'open0']);
    expect(actions.calls[2]).toMatchObject({ at: OPENS[0], closesAt: CLOSES[0] });
    // Q1 (correct: 1). alice fast and right, bob right later, carol wrong, alice's second click ignored.
    await runUntil(OPENS[0]! + 1 * SECOND);
    expect(await answer(event, 0, 'alice', 1)).toEqual({ accepted: true });
    await runUntil(OPENS[0]! + 3 * SECOND);
    expect(await answer(event, 0, 'bob', 1)).toEqual({ accepted: true });
    expect(await answer(event, 0, 'carol', 0)).toEqual({ accepted: true });
    expect(await answer(event, 0, 'alice', 2)).toEqual({ accepted: false, reason: 'already-answered' });

    await runUntil(CLOSES[0]!, runner);
    expect(await answer(event, 0, 'dave', 1)).toEqual({ accepted: false, reason: 'closed' });
    const firstReveal = actions.calls.at(-1);
    expect(firstReveal).toMatchObject({
      type: 'close',
      at: CLOSES[0],
      index: 0,
      reveal: { counts: [1, 2, 0], shares: [33, 67, 0], total: 3, correctIndex: 1, correctCount: 2 },
    });

    // Q2 (correct: 0): everyone right, carol fastest.
    await runUntil(OPENS[1]! + 500, runner);
    await answer(event, 1, 'carol', 0);
    await runUntil(OPENS[1]! + 2 * SECOND);
    await answer(event, 1, 'alice', 0);
    await answer(event, 1, 'bob', 0);
    // Q3 (correct: 3): bob and carol right, alice silent.
    await runUntil(OPENS[2]! + 4 * SECOND, runner);
    await answer(event, 2, 'bob', 3);
    await answer(event, 2, 'carol', 3);

    await runUntil(START + 41 * SECOND, runner);
    expect(actions.types()).toEqual([
      'reminder',
      'intro',
      'open0',
      'close0',
      'open1',
      'close1',
      'open2',
      'close2',
      'standings',
      'ended',
    ]);
    expect(actions.calls.filter((call) => call.type === 'open').map((call) => call.at)).toEqual(OPENS);
    expect(actions.calls.filter((call) => call.type === 'close').map((call) => call.at)).toEqual(CLOSES);

    // bob: 3 right. alice and carol: 2 right each; alice skipped Q3, which costs her its full
    // 5 seconds, so carol's answers (7.5 s in all) beat alice's 1 + 2 + 5 s.
    const standings = actions.calls.find((call) => call.type === 'standings');
    expect(standings?.type === 'standings' ? standings.ranked : []).toEqual([
      { rank: 1, userId: 'bob', correct: 3, answered: 3, totalMs: 3_000 + 2_000 + 4_000 },
      { rank: 2, userId: 'carol', correct: 2, answered: 3, totalMs: 3_000 + 500 + 4_000 },
      { rank: 3, userId: 'alice', correct: 2, answered: 2, totalMs: 1_000 + 2_000 + 5_000 },
    ]);
    // Every answer reaches the server score once, marked right or wrong.
    expect(scores.of(event.id)).toEqual([
      'alice:0:true',
      'alice:1:true',
      'bob:0:true',
      'bob:1:true',
      'bob:2:true',
      'carol:0:false',
      'carol:1:true',
      'carol:2:true',
    ]);
    // ...and each is reported as a graded answer to its lecture question.
    expect(
      graded.map((answer) => `${answer.userId}:${answer.question.question}:${answer.correct}`).sort(),
    ).toEqual(scores.of(event.id));
    expect(graded[0]).toMatchObject({ source: 'event', first: true, event: { id: event.id, occurrence: 1 } });

    const stored = await store.get(event.id);
    expect(stored).toMatchObject({ status: 'finished', progress: { phase: 'done' } });
    expect(await store.listActive()).toEqual([]);
    expect(runner.activeEvents()).toEqual([]);
  });

  it('GIVEN two events at the same time THEN both run on the one timer', async () => {
    const actions = new FakeActions();
    const runner = newRunner(actions);
    await runner.start();
    const first = await schedule(runner, { reminderMinutes: 0 });
    const second = await schedule(runner, {
      reminderMinutes: 0,
      channelId: 'channel-2',
      secondsPerQuestion: 10,
    });
    expect(vi.getTimerCount()).toBe(1);
    await runUntil(START + 12 * SECOND, runner);
    expect(vi.getTimerCount()).toBe(1);
    await runUntil(START + 2 * MINUTE, runner);
    const wholeEvent = [
      'intro',
      'open0',
      'close0',
      'open1',
      'close1',
      'open2',
      'close2',
      'standings',
      'ended',
    ];
    expect(actions.types(first.id)).toEqual(wholeEvent);
    expect(actions.types(second.id)).toEqual(wholeEvent);
    // The second event's questions last 10 s: it finishes later on the same single timer.
    expect(actions.of(second.id).at(-1)!.at).toBe(START + 55 * SECOND);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('EventRunner: restarts', () => {
  it('GIVEN a restart in the middle of a question THEN the new runner resumes it and no answer is lost', async () => {
    const before = new FakeActions();
    const first = newRunner(before);
    await first.start();
    const event = await schedule(first, { reminderMinutes: 0 });

    await runUntil(OPENS[0]! + SECOND, first);
    await answer(event, 0, 'alice', 1);
    await runUntil(OPENS[1]! + SECOND, first);
    expect(await answer(event, 1, 'alice', 0)).toEqual({ accepted: true });
    await first.stop();

    // Down for two seconds, inside Q2's window; the store is all the new runner has.
    await runUntil(OPENS[1]! + 3 * SECOND);
    const after = new FakeActions();
    const second = newRunner(after);
    await second.start();
    await second.whenIdle();
    expect(after.calls).toEqual([]);
    expect(await answer(event, 1, 'bob', 0)).toEqual({ accepted: true });

    await runUntil(START + MINUTE, second);
    expect(after.types()).toEqual(['close1', 'open2', 'close2', 'standings', 'ended']);
    expect(after.calls[0]).toMatchObject({ at: CLOSES[1], reveal: { counts: [2, 0], total: 2 } });
    const standings = after.calls.find((call) => call.type === 'standings');
    expect(
      standings?.type === 'standings' ? standings.ranked.map((row) => [row.userId, row.correct]) : [],
    ).toEqual([
      ['alice', 2],
      ['bob', 1],
    ]);
  });

  it('GIVEN the bot was down past a question’s close THEN the question is revealed at once and the event goes on', async () => {
    const first = newRunner(new FakeActions());
    await first.start();
    const event = await schedule(first, { reminderMinutes: 0 });
    await runUntil(OPENS[0]! + SECOND, first);
    await answer(event, 0, 'alice', 1);
    await first.stop();

    const backAt = START + 5 * MINUTE;
    await runUntil(backAt);
    const after = new FakeActions();
    const second = newRunner(after);
    await second.start();
    await second.whenIdle();
    expect(after.calls[0]).toMatchObject({
      type: 'close',
      index: 0,
      at: backAt,
      reveal: { counts: [0, 1, 0] },
    });
    await runUntil(backAt + MINUTE, second);
    expect(after.types()).toEqual(['close0', 'open1', 'close1', 'open2', 'close2', 'standings', 'ended']);
  });

  it('GIVEN a restart before the event THEN it runs on time', async () => {
    const first = newRunner(new FakeActions());
    await first.start();
    await schedule(first);
    await first.stop();

    const after = new FakeActions();
    const second = newRunner(after);
    await second.start();
    await runUntil(START + MINUTE, second);
    expect(after.types()[0]).toBe('reminder');
    expect(after.calls[1]).toMatchObject({ type: 'intro', at: START, questions: 3 });
  });

  it('GIVEN the bot comes back long after the start THEN the occurrence is skipped, not run late', async () => {
    const first = newRunner(new FakeActions());
    await first.start();
    const event = await schedule(first);
    await first.stop();

    await runUntil(START + 2 * 60 * MINUTE);
    const after = new FakeActions();
    const log = recordingLog();
    const second = newRunner(after, log);
    await second.start();
    await second.whenIdle();
    expect(after.types()).toEqual(['ended']);
    expect((await store.get(event.id))?.progress.missed).toBe(true);
    expect(log.entries.some((entry) => entry.message.includes('missed'))).toBe(true);
  });
});

describe('EventRunner: cancel, repeat, failures', () => {
  it('GIVEN an event cancelled while scheduled THEN nothing is posted and the timer is disarmed', async () => {
    const actions = new FakeActions();
    const runner = newRunner(actions);
    await runner.start();
    const event = await schedule(runner);
    expect(await runner.cancel(event.id, 'guild-1')).toMatchObject({
      event: { status: 'cancelled' },
      underWay: false,
      openQuestion: null,
    });
    expect(vi.getTimerCount()).toBe(0);
    await runUntil(START + 10 * MINUTE, runner);
    expect(actions.calls).toEqual([]);
    expect(await store.listByGuild('guild-1')).toEqual([]);
  });

  it('GIVEN an event cancelled mid-question THEN it stops there', async () => {
    const actions = new FakeActions();
    const runner = newRunner(actions);
    await runner.start();
    const event = await schedule(runner, { reminderMinutes: 0 });
    await runUntil(OPENS[0]! + SECOND, runner);
    expect(await answer(event, 0, 'alice', 1)).toEqual({ accepted: true });
    // What the Discord layer must show: the open question (posted as message-2) closed.
    expect(await runner.cancel(event.id)).toMatchObject({
      underWay: true,
      openQuestion: { index: 0, messageId: 'message-2', question: { text: 'Q1' } },
    });
    expect(await answer(event, 0, 'bob', 1)).toEqual({ accepted: false, reason: 'cancelled' });
    await runUntil(START + MINUTE, runner);
    expect(actions.types()).toEqual(['intro', 'open0']);
    expect(scores.awards).toEqual([]);
    expect((await store.get(event.id))?.status).toBe('cancelled');
  });

  it('GIVEN a weekly event THEN after it finishes the next occurrence is scheduled and runs a week later', async () => {
    const actions = new FakeActions();
    const runner = newRunner(actions);
    await runner.start();
    const event = await schedule(runner, { repeat: 'weekly', reminderMinutes: 0 });
    await runUntil(START + MINUTE, runner);
    const ended = actions.calls.find((call) => call.type === 'ended');
    const nextStart = Date.parse('2026-05-11T18:00:00Z');
    expect(ended?.type === 'ended' ? ended.next : null).toMatchObject({ occurrence: 2, startAt: nextStart });
    expect(runner.activeEvents()).toMatchObject([{ id: event.id, status: 'scheduled', occurrence: 2 }]);

    await runUntil(nextStart + 10 * SECOND, runner);
    expect(actions.calls.at(-1)).toMatchObject({ type: 'open', index: 0, at: nextStart + 10 * SECOND });
    expect(await answer({ ...event, occurrence: 2 }, 0, 'alice', 1)).toEqual({ accepted: true });
    expect(await answer(event, 0, 'alice', 1)).toEqual({ accepted: false, reason: 'stale' });
  });

  it('GIVEN an action that fails once THEN it is logged, retried, and other events are not held up', async () => {
    const actions = new FakeActions();
    const log = recordingLog();
    const runner = newRunner(actions, log);
    await runner.start();
    const broken = await schedule(runner, { reminderMinutes: 0 });
    const healthy = await schedule(runner, { reminderMinutes: 0 });
    actions.failNext('intro', 1, broken.id);

    await runUntil(START, runner);
    expect(actions.types(healthy.id)).toEqual(['intro']);
    expect(actions.types(broken.id)).toEqual([]);
    const retried = log.entries.find((entry) => entry.message === 'quiz event step failed; will retry');
    expect(retried).toMatchObject({ level: 'error', data: { eventId: broken.id, attempt: 1 } });

    await runUntil(START + 2 * SECOND, runner);
    expect(actions.calls.find((call) => call.eventId === broken.id)).toMatchObject({
      type: 'intro',
      at: START + 2 * SECOND,
    });
    await runUntil(START + 2 * MINUTE, runner);
    expect(actions.types(broken.id).at(-1)).toBe('ended');
    expect(actions.types(healthy.id).at(-1)).toBe('ended');
  });

  it('GIVEN an action that keeps failing THEN after the last attempt the event moves on without it', async () => {
    const actions = new FakeActions();
    const log = recordingLog();
    const runner = newRunner(actions, log);
    await runner.start();
    const event = await schedule(runner, { reminderMinutes: 0 });
    actions.failNext('close', 10);

    await runUntil(START + 2 * MINUTE, runner);
    expect(actions.types(event.id)).toEqual(['intro', 'open0', 'open1', 'open2', 'standings', 'ended']);
    const failures = log.entries.filter((entry) => entry.level === 'error');
    // Each of the three reveals: two retries, then given up on.
    expect(failures.filter((entry) => entry.message.includes('will retry'))).toHaveLength(6);
    expect(failures.filter((entry) => entry.message.includes('moving on'))).toHaveLength(3);
    expect((await store.get(event.id))?.status).toBe('finished');
  });

  it('GIVEN an unknown event id THEN cancel returns undefined', async () => {
    const runner = newRunner(new FakeActions());
    await runner.start();
    expect(await runner.cancel('NOPE00')).toBeUndefined();
  });
});

describe('EventRunner: several processes (shards) on one store', () => {
  /** A database lock shared by the runners of this test, as PostgreSQL's would be. */
  function sharedLocks(): { locks: StepLocks; hold: (id: string) => () => void } {
    const held = new Set<string>();
    return {
      locks: {
        shared: true,
        async run(id, step) {
          if (held.has(id)) return { ran: false };
          held.add(id);
          try {
            return { ran: true, value: await step() };
          } finally {
            held.delete(id);
          }
        },
      },
      hold: (id) => {
        held.add(id);
        return () => held.delete(id);
      },
    };
  }

  function shardRunner(actions: FakeActions, locks: StepLocks, owns: (guildId: string) => boolean) {
    const runner = new EventRunner({
      store,
      actions,
      scores,
      retryDelayMs: 2 * SECOND,
      owns,
      stepLocks: locks,
    });
    runners.push(runner);
    return runner;
  }

  it('GIVEN events in two guilds and a runner per shard THEN each runs only its own guild’s events', async () => {
    const setup = newRunner(new FakeActions());
    const mine = await schedule(setup, { guildId: 'guild-a', reminderMinutes: 0 });
    const theirs = await schedule(setup, { guildId: 'guild-b', reminderMinutes: 0 });
    await setup.stop();

    const { locks } = sharedLocks();
    const [actionsA, actionsB] = [new FakeActions(), new FakeActions()];
    const a = shardRunner(actionsA, locks, (guildId) => guildId === 'guild-a');
    const b = shardRunner(actionsB, locks, (guildId) => guildId === 'guild-b');
    await Promise.all([a.start(), b.start()]);
    expect(a.activeEvents().map((event) => event.id)).toEqual([mine.id]);
    expect(b.activeEvents().map((event) => event.id)).toEqual([theirs.id]);

    await runUntil(OPENS[0]!, a);
    await b.whenIdle();
    expect(actionsA.types()).toEqual(['intro', 'open0']);
    expect(actionsB.types()).toEqual(['intro', 'open0']);
    expect(actionsA.calls.every((call) => call.eventId === mine.id)).toBe(true);
    expect(actionsB.calls.every((call) => call.eventId === theirs.id)).toBe(true);
  });

  it('GIVEN another process holding the event’s lock THEN the step waits, and runs once, from the stored event', async () => {
    const { locks, hold } = sharedLocks();
    const setup = newRunner(new FakeActions());
    const event = await schedule(setup, { reminderMinutes: 0 });
    await setup.stop();

    const actions = new FakeActions();
    const runner = shardRunner(actions, locks, () => true);
    await runner.start();
    const release = hold(event.id);
    await runUntil(START, runner);
    expect(actions.types()).toEqual([]);

    // Meanwhile the other process posted the intro and saved it.
    await store.update(event.id, (stored) =>
      applyStep(stored, { action: 'post-intro', messageId: 'm-intro', questions: QUESTIONS }, START),
    );
    release();
    await runUntil(OPENS[0]!, runner);
    expect(actions.types()).toEqual(['open0']);
  });
});
