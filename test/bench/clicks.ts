// Benchmark: click to reply. The real bot and a bare discord.js bot (the limit of this stack), each in
// its own process against a fake Discord on 127.0.0.1, run alternately under the same two loads:
//   closed loop: 200 members each clicking again as soon as their reply comes back (throughput);
//   open loop:   clicks dispatched at a fixed rate whatever the replies do (latency under a crowd).
// Every quiz click is a member's first answer to a real question, so every click writes a score;
// after each quiz run the store is read back to prove no answer was lost or counted twice.
// Run alone: npx tsx test/bench/clicks.ts [--quick]
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadContent } from '../../src/content/load.js';
import { parseCustomId } from '../../src/discord/custom-id.js';
import { gradeEmbed, questionMessage } from '../../src/quiz/discord/render.js';
import { Catalog, questionSets } from '../../src/quiz/catalog.js';
import type { ScoreRecord } from '../../src/quiz/scoring.js';
import { openStore } from '../../src/store/index.js';
import { createTestDatabase } from '../support/servers.js';
import { FakeDiscord, snowflake, user } from '../../src/sandbox/fake-discord.js';
import type { CallbackRecord, FakeMessage, RecordedRequest } from '../../src/sandbox/fake-discord.js';
import {
  QUIZ_ENTRY,
  ROOT,
  botEntry,
  compiledForBench,
  readMachineBusyMs,
  startBotProcess,
  startFlags,
  type BotProcess,
  type CpuTime,
} from './bot-process.js';

/** One quiz (a single set of 20 questions): what a quiz event posts. */
export const CLICK_CONTENT = '../shared/corpus/fcc-2025-09/quizzes/quiz-javascript-classes';
/** Discord's limit for acknowledging an interaction. */
export const DISCORD_DEADLINE_MS = 3_000;

/**
 * quiz: the bot as `npm start` runs it; quiz-tsx: its source through tsx (as npm start ran it before
 * the build step); quiz-metrics: as started, with METRICS_PORT set (the router and store hooks on);
 * quiz-without-*: as started, a click skipping the teachers' counts, the review card (and the
 * most-missed counter), or both (bench-only, test/bench/quiz-without.ts).
 */
export type BotKind =
  | 'quiz'
  | 'bare'
  | 'quiz-tsx'
  | 'quiz-metrics'
  | 'quiz-without-counts'
  | 'quiz-without-study'
  | 'quiz-without-both';

/** The bench-only variant without some of a click's durable work, and what each kind leaves out. */
const WITHOUT_ENTRY = 'test/bench/quiz-without.ts';
const WITHOUT: Partial<Record<BotKind, string>> = {
  'quiz-without-counts': 'counts',
  'quiz-without-study': 'study',
  'quiz-without-both': 'counts,study',
};

function entryOf(kind: BotKind): { entry: string; tsx: boolean; env?: Record<string, string> } {
  if (kind === 'quiz-tsx') return { entry: QUIZ_ENTRY, tsx: true };
  if (kind === 'quiz-metrics') return { ...botEntry('quiz'), env: { METRICS_PORT: '0' } };
  const without = WITHOUT[kind];
  if (without !== undefined) {
    // The bot's build first: the variant is the same source, and its parser thread is dist/'s.
    botEntry('quiz');
    return { entry: compiledForBench(WITHOUT_ENTRY), tsx: false, env: { BENCH_WITHOUT: without } };
  }
  if (kind === 'bare') return botEntry('bare');
  return botEntry('quiz');
}

// ------------------------------------------------------------------ what gets clicked

export interface Target {
  lectureId: string;
  /** The question message the buttons sit on, as the bot renders it. */
  message: FakeMessage;
  /** custom_id of each answer button, built by the bot's own render and custom-id modules. */
  answerIds: string[];
  correctIndex: number;
}

/** Every question of the lectures under `contentDir`, rendered as the bot posts it. */
export async function loadTargets(contentDir: string, fake: FakeDiscord): Promise<Target[]> {
  const content = await loadContent([join(ROOT, contentDir)]);
  // The catalog drops lectures whose id an earlier one took, as the bot does: clicks must hit the kept one.
  const catalog = new Catalog(content.lectures);
  const guild = fake.guilds[0];
  const channelId = guild?.channels[0]?.id;
  if (!guild || !channelId) throw new Error('the fake has no guild channel');
  const targets: Target[] = [];
  for (const lecture of catalog.lectures) {
    questionSets(lecture).forEach((questions, set) => {
      questions.forEach((question, index) => {
        const view = questionMessage(question, { lecture, set, index, total: questions.length });
        const answerIds = view.components.flatMap((row) => row.components.map((button) => button.custom_id));
        // The ids come from the bot's own renderer; check they parse as answers, as the bot will.
        if (answerIds.some((id) => parseCustomId(id)?.kind !== 'answer')) {
          throw new Error(
            `unexpected button ids on ${lecture.id} question ${index}: ${answerIds.join(', ')}`,
          );
        }
        const message: FakeMessage = {
          id: snowflake(),
          channelId,
          guildId: guild.id,
          author: fake.botUser,
          embeds: view.embeds,
          components: view.components,
          edits: 0,
          createdAt: Date.now(),
        };
        targets.push({ lectureId: lecture.id, message, answerIds, correctIndex: question.correctIndex });
      });
    });
  }
  if (targets.length === 0) throw new Error(`no questions under ${contentDir}`);
  return targets;
}

export interface ClickSpec {
  target: Target;
  answer: number;
  /** A distinct number per member; turned into a snowflake-like id. */
  member: number;
}

/** Alternately right and wrong, so both grading paths and both point totals are exercised. */
export function answerFor(target: Target, n: number): number {
  const count = target.answerIds.length;
  return n % 2 === 0 ? target.correctIndex : (target.correctIndex + 1) % count;
}

function memberId(member: number): string {
  return `5${String(member).padStart(18, '0')}`;
}

// ------------------------------------------------------------------ timing

export type Outcome = 'right' | 'wrong' | 'ok' | 'other' | 'none';

export interface ClickResult {
  /** Dispatch to callback recorded by the fake; null when no callback came before the phase gave up. */
  ms: number | null;
  outcome: Outcome;
}

const RIGHT_COLOR = gradeEmbed(true, '.').color;
const WRONG_COLOR = gradeEmbed(false, '.').color;

function outcomeOf(record: CallbackRecord): Outcome {
  const data = record.data as { content?: string; embeds?: { color?: number }[]; flags?: number } | undefined;
  if (record.type !== 4 || ((data?.flags ?? 0) & 64) === 0) return 'other';
  if (data?.content === 'ok') return 'ok';
  const color = data?.embeds?.[0]?.color;
  return color === RIGHT_COLOR ? 'right' : color === WRONG_COLOR ? 'wrong' : 'other';
}

/**
 * Sends clicks through a fake and times each from just before the fake writes the INTERACTION_CREATE
 * to the moment it records the callback. The fake keeps every request and callback in arrays (and
 * waitForCallback scans them), which is quadratic over tens of thousands of clicks; so the driver
 * hooks the fake's public `dispatch` and the arrays' push instead, and keeps only what it needs.
 */
export class ClickDriver {
  readonly counts = { callbacks: 0, callbackRequests: 0, otherRequests: 0, unexpectedCallbacks: 0 };
  /** Set when the bot is gone: clicks end at once, unanswered, and loops stop. */
  stopped = false;
  private readonly sentAt = new Map<string, number>();
  private readonly pending = new Map<string, (result: ClickResult) => void>();

  constructor(readonly fake: FakeDiscord) {
    const dispatch = fake.dispatch.bind(fake);
    fake.dispatch = (t, d) => {
      const id = (d as { id?: unknown } | null)?.id;
      if (t === 'INTERACTION_CREATE' && typeof id === 'string') this.sentAt.set(id, performance.now());
      dispatch(t, d);
    };
    const keepRequest = fake.requests.push.bind(fake.requests);
    fake.requests.push = (...requests: RecordedRequest[]) => {
      for (const request of requests) {
        if (request.path.endsWith('/callback')) this.counts.callbackRequests += 1;
        else {
          this.counts.otherRequests += 1;
          keepRequest(request);
        }
      }
      return fake.requests.length;
    };
    fake.callbacks.push = (...records: CallbackRecord[]) => {
      const now = performance.now();
      for (const record of records) this.onCallback(record, now);
      return 0;
    };
  }

  click(spec: ClickSpec): Promise<ClickResult> {
    if (this.stopped) return Promise.resolve({ ms: null, outcome: 'none' });
    const answerId = spec.target.answerIds[spec.answer];
    if (answerId === undefined) throw new Error(`no answer ${spec.answer} in ${spec.target.lectureId}`);
    const id = memberId(spec.member);
    const sent = this.fake.clickButton({
      customId: answerId,
      message: spec.target.message,
      user: user(id, `member${spec.member}`),
    });
    return new Promise((resolve) => this.pending.set(sent.id, resolve));
  }

  /** A slash command, timed like a click (its reply's outcome is 'other' unless ephemeral). */
  command(name: string, options: unknown[], member: number): Promise<ClickResult> {
    if (this.stopped) return Promise.resolve({ ms: null, outcome: 'none' });
    const sent = this.fake.sendCommand({ name, options, user: user(memberId(member), `member${member}`) });
    return new Promise((resolve) => this.pending.set(sent.id, resolve));
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** The bot exited: nothing will answer any more. */
  stop(): void {
    this.stopped = true;
    this.abandon();
  }

  /** Ends every click still waiting, as unanswered. */
  abandon(): void {
    for (const [id, resolve] of this.pending) {
      this.sentAt.delete(id);
      resolve({ ms: null, outcome: 'none' });
    }
    this.pending.clear();
  }

  private onCallback(record: CallbackRecord, now: number): void {
    this.counts.callbacks += 1;
    const resolve = this.pending.get(record.interactionId);
    const sentAt = this.sentAt.get(record.interactionId);
    if (!resolve || sentAt === undefined) {
      this.counts.unexpectedCallbacks += 1;
      return;
    }
    this.pending.delete(record.interactionId);
    this.sentAt.delete(record.interactionId);
    resolve({ ms: now - sentAt, outcome: outcomeOf(record) });
  }
}

// ------------------------------------------------------------------ loads

export interface LoadFigures {
  sent: number;
  replied: number;
  /** No reply before the phase gave up (Discord's 3 s after the last dispatch). */
  unanswered: number;
  /** A reply, but not the one expected (an error notice, a wrong verdict, not ephemeral). */
  wrongReplies: number;
  /** Replies later than Discord's 3 s. */
  late: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Open loop only: how far behind schedule the generator dispatched at worst (ms). */
  maxLagMs?: number;
}

class Tally {
  readonly latencies: number[] = [];
  sent = 0;
  unanswered = 0;
  wrongReplies = 0;
  lastReplyAt = 0;

  add(result: ClickResult, expected: Outcome): void {
    if (result.ms === null) {
      this.unanswered += 1;
      return;
    }
    this.latencies.push(result.ms);
    this.lastReplyAt = performance.now();
    if (result.outcome !== expected) this.wrongReplies += 1;
  }

  figures(startedAt: number, endedAt: number): LoadFigures {
    const sorted = Float64Array.from(this.latencies).sort();
    const seconds = (endedAt - startedAt) / 1000;
    return {
      sent: this.sent,
      replied: sorted.length,
      unanswered: this.unanswered,
      wrongReplies: this.wrongReplies,
      late: sorted.filter((ms) => ms > DISCORD_DEADLINE_MS).length,
      seconds,
      perSecond: sorted.length / seconds,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted.at(-1) ?? Number.NaN,
    };
  }
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

function expectedOutcome(kind: BotKind, spec: ClickSpec): Outcome {
  if (kind === 'bare') return 'ok';
  return spec.answer === spec.target.correctIndex ? 'right' : 'wrong';
}

/**
 * `members` members, each clicking again as soon as its reply arrives, until `durationMs` or
 * `maxClicks`. `next(member, k)` says what member slot `member` clicks the k-th time.
 */
export async function closedLoop(
  driver: ClickDriver,
  kind: BotKind,
  opts: {
    members: number;
    durationMs: number;
    maxClicks: number;
    next: (member: number, k: number) => ClickSpec;
    onSent?: (spec: ClickSpec) => void;
  },
): Promise<LoadFigures> {
  const tally = new Tally();
  const startedAt = performance.now();
  const deadline = startedAt + opts.durationMs;
  // A click that never gets its reply would hold its member forever: give up 3 s after the end.
  const watchdog = setTimeout(() => driver.abandon(), opts.durationMs + DISCORD_DEADLINE_MS);
  try {
    await Promise.all(
      Array.from({ length: opts.members }, async (_, member) => {
        for (let k = 0; !driver.stopped && performance.now() < deadline && tally.sent < opts.maxClicks; k++) {
          const spec = opts.next(member, k);
          tally.sent += 1;
          opts.onSent?.(spec);
          tally.add(await driver.click(spec), expectedOutcome(kind, spec));
        }
      }),
    );
  } finally {
    clearTimeout(watchdog);
  }
  return tally.figures(startedAt, Math.max(tally.lastReplyAt, startedAt + 1));
}

/** `count` clicks dispatched at `perSecond`, on schedule whether or not replies have come back. */
export async function openLoop(
  driver: ClickDriver,
  kind: BotKind,
  opts: {
    perSecond: number;
    count: number;
    next: (i: number) => ClickSpec;
    onSent?: (spec: ClickSpec) => void;
  },
): Promise<LoadFigures> {
  const tally = new Tally();
  const results: Promise<void>[] = [];
  const interval = 1000 / opts.perSecond;
  let maxLagMs = 0;
  const startedAt = performance.now();
  while (tally.sent < opts.count && !driver.stopped) {
    const now = performance.now();
    // Everything due by now goes out at once: timers fire late by a millisecond or so.
    while (tally.sent < opts.count && startedAt + tally.sent * interval <= now) {
      maxLagMs = Math.max(maxLagMs, now - (startedAt + tally.sent * interval));
      const spec = opts.next(tally.sent);
      tally.sent += 1;
      opts.onSent?.(spec);
      const expected = expectedOutcome(kind, spec);
      results.push(driver.click(spec).then((result) => tally.add(result, expected)));
    }
    await sleep(1);
  }
  const sentAt = performance.now();
  const watchdog = setTimeout(() => driver.abandon(), DISCORD_DEADLINE_MS);
  try {
    await Promise.all(results);
  } finally {
    clearTimeout(watchdog);
  }
  // Throughput here is the offered rate: the window is the dispatch schedule, not the reply tail.
  return { ...tally.figures(startedAt, sentAt), maxLagMs };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ------------------------------------------------------------------ store check

export interface StoreCheck {
  expectedAnswers: number;
  answers: number;
  /** Clicks with no answer record. */
  lost: number;
  /** Answers counted more than once (score totals above the answer records, or extra records). */
  doubleCounted: number;
  expectedPoints: number;
  points: number;
  expectedMembers: number;
  members: number;
}

/** Reads the store the bot left (after it exited) and compares it with what was clicked. */
export async function checkStore(
  storeUrl: string,
  guildId: string,
  expected: { answers: number; points: number; members: number },
): Promise<StoreCheck> {
  const store = await openStore(storeUrl, { logger: { warn: () => undefined } });
  try {
    // Prefix reads through the store's own interface: the same on SQLite and PostgreSQL.
    const answers = await store.kv.getByPrefix(`answer:${guildId}:`);
    const scores = await store.kv.getByPrefix<ScoreRecord>(`score:${guildId}:`);
    const answered = scores.reduce((sum, row) => sum + row.value.answered, 0);
    const points = scores.reduce((sum, row) => sum + row.value.points, 0);
    return {
      expectedAnswers: expected.answers,
      answers: answers.length,
      lost: Math.max(0, expected.answers - answers.length),
      doubleCounted: Math.max(0, answered - answers.length) + Math.max(0, answers.length - expected.answers),
      expectedPoints: expected.points,
      points,
      expectedMembers: expected.members,
      members: scores.length,
    };
  } finally {
    await store.close();
  }
}

// ------------------------------------------------------------------ one run

export interface ClickBenchOptions {
  contentDir: string;
  warmupClicks: number;
  members: number;
  closedMs: number;
  closedMaxClicks: number;
  openPerSecond: number;
  openMs: number;
  /** Rounds of bare then quiz, in that order. */
  rounds: number;
  kinds: BotKind[];
  /** Where the quiz bot keeps its scores: a fresh SQLite file (default) or PostgreSQL database per run. */
  store?: 'sqlite' | 'postgres';
}

// Five short rounds rather than three long ones: the median of paired rounds then shrugs off two rounds
// disturbed by other work on the machine.
export const FULL_CLICKS: ClickBenchOptions = {
  contentDir: CLICK_CONTENT,
  warmupClicks: 2_000,
  members: 200,
  closedMs: 4_000,
  closedMaxClicks: 100_000,
  openPerSecond: 500,
  openMs: 4_000,
  rounds: 5,
  kinds: ['bare', 'quiz'],
};

export const QUICK_CLICKS: ClickBenchOptions = {
  ...FULL_CLICKS,
  warmupClicks: 1_000,
  closedMs: 2_000,
  openMs: 2_000,
  rounds: 1,
};

/** CPU over the closed loop: on a noisy machine these move far less than wall-clock figures. */
export interface CpuFigures {
  /** The bot's main (JavaScript) thread per reply, ms. */
  botMainMs: number;
  /** All the bot's threads (SQLite runs on libuv's pool, GC helpers) per reply, ms. */
  botTotalMs: number;
  /** Share of the phase the bot's main thread was busy (1 = one core saturated). */
  botMainBusy: number;
  /** The bench process (fake Discord and load generator) per reply, ms. */
  benchMs: number;
  /** Share of the machine's cores used by anything else during the phase: noise. */
  othersBusy: number;
}

interface CpuMark {
  bot: CpuTime;
  bench: NodeJS.CpuUsage;
  machineMs: number;
  at: number;
}

function cpuMark(bot: BotProcess): CpuMark {
  return { bot: bot.cpu(), bench: process.cpuUsage(), machineMs: readMachineBusyMs(), at: performance.now() };
}

function cpuFigures(before: CpuMark, after: CpuMark, replies: number): CpuFigures {
  const perReply = (ms: number): number => ms / Math.max(1, replies);
  const wallMs = after.at - before.at;
  const botMs = after.bot.totalMs - before.bot.totalMs;
  const benchMs = (after.bench.user + after.bench.system - before.bench.user - before.bench.system) / 1000;
  const othersMs = after.machineMs - before.machineMs - botMs - benchMs;
  return {
    botMainMs: perReply(after.bot.mainMs - before.bot.mainMs),
    botTotalMs: perReply(botMs),
    botMainBusy: (after.bot.mainMs - before.bot.mainMs) / wallMs,
    benchMs: perReply(benchMs),
    othersBusy: Math.max(0, othersMs) / (wallMs * cpus().length),
  };
}

export interface RunFigures {
  kind: BotKind;
  closed: LoadFigures;
  closedCpu: CpuFigures;
  open: LoadFigures;
  /** Resident memory of the bot process after the run (MB). */
  rssMb: number;
  /** Log lines at warn or above (and stderr lines) the bot wrote. */
  problems: number;
  /** Callbacks for an interaction that was already answered (rejected by the fake). */
  duplicateReplies: number;
  /** REST calls other than interaction callbacks (startup's command registration included). */
  otherRequests: number;
  store?: StoreCheck;
}

/** One bot process, fresh fake and fresh store: warm-up, closed loop, then open loop. */
export async function runOnce(kind: BotKind, opts: ClickBenchOptions): Promise<RunFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'quizbot-bench-clicks-'));
  const database = opts.store === 'postgres' ? await createTestDatabase('clicks') : undefined;
  const storeUrl = database?.url ?? `sqlite://${join(dir, 'quiz.sqlite')}`;
  const fake = await FakeDiscord.start();
  const driver = new ClickDriver(fake);
  let bot: BotProcess | undefined;
  try {
    const targets = await loadTargets(opts.contentDir, fake);
    bot = await startBotProcess({
      ...entryOf(kind),
      fake,
      storeUrl,
      contentDir: opts.contentDir,
      // Both bots run with the node options of `npm start`, so the comparison stays like for like.
      nodeArgs: startFlags(),
    });
    void bot.exited.then(() => driver.stop());
    if (kind !== 'bare') {
      // The quiz bot registers its commands right after READY; let that finish before the crowd comes.
      await fake.waitForRequest((r) => r.method === 'PUT' && r.path.endsWith('/commands'), 10_000);
    }

    const expected = { answers: 0, points: 0, members: new Set<number>() };
    const onSent = (spec: ClickSpec): void => {
      expected.answers += 1;
      if (spec.answer === spec.target.correctIndex) expected.points += 1;
      expected.members.add(spec.member);
    };
    // Slot m clicks the questions in order; after the last one a new member takes the slot. Members
    // are numbered apart per phase, so no two clicks anywhere share a member and a question.
    const slots =
      (members: number, firstMember: number) =>
      (slot: number, k: number): ClickSpec => {
        const target = targets[k % targets.length]!;
        return {
          target,
          answer: answerFor(target, k + slot),
          member: firstMember + slot + members * Math.floor(k / targets.length),
        };
      };

    await closedLoop(driver, kind, {
      members: 50,
      durationMs: 60_000,
      maxClicks: opts.warmupClicks,
      next: slots(50, 0),
      onSent,
    });
    await sleep(200);

    const before = cpuMark(bot);
    const closed = await closedLoop(driver, kind, {
      members: opts.members,
      durationMs: opts.closedMs,
      maxClicks: opts.closedMaxClicks,
      next: slots(opts.members, 10_000_000),
      onSent,
    });
    const closedCpu = cpuFigures(before, cpuMark(bot), closed.replied);
    await sleep(300);

    // A crowd of a thousand: each answers question 1, then question 2, and so on.
    const crowd = 1_000;
    const open = await openLoop(driver, kind, {
      perSecond: opts.openPerSecond,
      count: Math.round((opts.openPerSecond * opts.openMs) / 1000),
      next: (i) => {
        const target = targets[Math.floor(i / crowd) % targets.length]!;
        return { target, answer: answerFor(target, i), member: 20_000_000 + (i % crowd) };
      },
      onSent,
    });

    if (driver.stopped) throw new Error(`the ${kind} bot exited during the run:\n${bot.output()}`);
    const rssMb = bot.memory().rssMb;
    await bot.stop();
    const figures: RunFigures = {
      kind,
      closed,
      closedCpu,
      open,
      rssMb,
      problems: bot.problems(),
      duplicateReplies: driver.counts.callbackRequests - driver.counts.callbacks,
      otherRequests: driver.counts.otherRequests,
    };
    if (kind !== 'bare') {
      figures.store = await checkStore(storeUrl, fake.guilds[0]!.id, {
        answers: expected.answers,
        points: expected.points,
        members: expected.members.size,
      });
    }
    if (figures.problems > 0) console.error(`${kind} bot logged problems:\n${bot.output().slice(-2000)}`);
    return figures;
  } finally {
    await bot?.stop();
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
    await database?.drop();
  }
}

/** A run during which other processes used more than this share of the machine is run again. */
export const NOISY_SHARE = 0.15;
/** At most this many runs are repeated in all, so a machine that stays busy cannot stall the bench. */
const MAX_REPEATS = 4;

export interface ClickBench {
  runs: RunFigures[];
  /** Runs discarded and run again because other processes were busy during their closed loop. */
  repeated: number;
}

/**
 * bare, quiz, bare, quiz...: every bot sees the same machine. Other agents share it, and a run that
 * loses half the machine to them says nothing about the bot, so such a run is repeated (within a bound).
 */
export async function runClickBench(
  opts: ClickBenchOptions,
  log: (line: string) => void = () => undefined,
): Promise<ClickBench> {
  const runs: RunFigures[] = [];
  let repeated = 0;
  for (let round = 0; round < opts.rounds; round++) {
    for (const kind of opts.kinds) {
      let run = await runOnce(kind, opts);
      while (run.closedCpu.othersBusy > NOISY_SHARE && repeated < MAX_REPEATS) {
        log(
          `${describeRun(run)}\n  (other processes took ${(run.closedCpu.othersBusy * 100).toFixed(0)}% of the machine: run again)`,
        );
        repeated += 1;
        run = await runOnce(kind, opts);
      }
      log(describeRun(run));
      runs.push(run);
    }
  }
  return { runs, repeated };
}

export function describeRun(run: RunFigures): string {
  const c = run.closed;
  const o = run.open;
  const cpu = run.closedCpu;
  const store = run.store
    ? `; store ${run.store.answers}/${run.store.expectedAnswers} answers, lost ${run.store.lost}, double ${run.store.doubleCounted}`
    : '';
  return (
    `${run.kind.padEnd(19)} closed ${c.perSecond.toFixed(0)}/s p50 ${c.p50.toFixed(1)} p99 ${c.p99.toFixed(1)} ms;` +
    ` open ${o.perSecond.toFixed(0)}/s p50 ${o.p50.toFixed(2)} p99 ${o.p99.toFixed(2)} max ${o.max.toFixed(1)} ms;` +
    ` bot cpu/click ${cpu.botTotalMs.toFixed(3)} ms (main ${cpu.botMainMs.toFixed(3)}, busy ${(cpu.botMainBusy * 100).toFixed(0)}%),` +
    ` bench ${cpu.benchMs.toFixed(3)} ms, others ${(cpu.othersBusy * 100).toFixed(0)}%${store}`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const store = process.argv.includes('--postgres') ? 'postgres' : 'sqlite';
  // e.g. --kinds=quiz-tsx,quiz to compare the bot through tsx with the compiled one.
  const kinds = process.argv
    .find((arg) => arg.startsWith('--kinds='))
    ?.slice('--kinds='.length)
    .split(',');
  const opts = { ...(quick ? QUICK_CLICKS : FULL_CLICKS), store } as const;
  await runClickBench(kinds ? { ...opts, kinds: kinds.map((kind) => kind as BotKind) } : opts, (line) =>
    console.log(line),
  );
}
