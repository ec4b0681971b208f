// Benchmark: resident memory of the real bot with the whole corpus loaded, before and after 50,000
// graded clicks (every one a member's first answer, so every one writes). Read from /proc/<pid>/status
// of the bot's own process. Run alone: npx tsx test/bench/memory.ts [--quick]
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeDiscord, type RecordedRequest } from '../../src/sandbox/fake-discord.js';
import { botEntry, startBotProcess, startFlags, type BotProcess } from './bot-process.js';
import {
  ClickDriver,
  answerFor,
  checkStore,
  closedLoop,
  loadTargets,
  sleep,
  type ClickSpec,
  type LoadFigures,
  type StoreCheck,
} from './clicks.js';
import { DEFAULT_CORPUS } from './content.js';
import type { ProbeReport } from './memory-probe.js';

export interface MemoryBenchOptions {
  /** The quiz bot (the default) or the bare discord.js bot, answering the same clicks. */
  kind?: 'quiz' | 'bare';
  contentDir: string;
  clicks: number;
  /** How many questions each member answers before a new member takes its place. */
  answersPerMember: number;
  members: number;
  /** Upper bound on the clicking, whatever the rate. */
  maxMs: number;
  /** Bench-only variant: modules loaded into the bot before src/index.ts. */
  preload?: string[];
  label?: string;
  /** Another entry (e.g. the bot bundled to JavaScript) and whether it needs tsx. */
  entry?: string;
  tsx?: boolean;
  /** Node options for the bot; those of `npm start` when not given. */
  nodeArgs?: string[];
  /** More environment for the bot (e.g. CONTENT_WATCH=false). */
  env?: Record<string, string>;
  /** After reading RSS, ask test/bench/memory-probe.ts where the memory is (live heap, caches). */
  probe?: boolean;
  /**
   * The quiz bot: start it once first, untimed, so that the measured start finds the content cache
   * that start left (as every start but the very first does) instead of parsing every file.
   */
  contentCached?: boolean;
}

export const FULL_MEMORY: MemoryBenchOptions = {
  contentDir: DEFAULT_CORPUS,
  clicks: 50_000,
  answersPerMember: 10,
  members: 200,
  maxMs: 120_000,
};

export const QUICK_MEMORY: MemoryBenchOptions = { ...FULL_MEMORY, clicks: 10_000 };

export interface MemoryFigures {
  label: string;
  /** Corpus loaded, connected, no click yet (MB). */
  startRssMb: number;
  /** After the clicks and a short pause (MB). */
  endRssMb: number;
  /** Highest RSS the process reached (VmHWM, MB). */
  peakRssMb: number;
  distinctMembers: number;
  load: LoadFigures;
  /** The quiz bot's store read back (none for the bare bot). */
  store?: StoreCheck;
  problems: number;
  probe?: ProbeReport;
}

const PROBE = 'test/bench/memory-probe.ts';

export async function runMemoryBench(opts: MemoryBenchOptions): Promise<MemoryFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'quizbot-bench-memory-'));
  const storeUrl = `sqlite://${join(dir, 'quiz.sqlite')}`;
  const fake = await FakeDiscord.start();
  const driver = new ClickDriver(fake);
  let bot: BotProcess | undefined;
  try {
    const targets = await loadTargets(opts.contentDir, fake);
    const probeFile = join(dir, 'probe.json');
    const preload = [...(opts.preload ?? []), ...(opts.probe ? [PROBE] : [])];
    const kind = opts.kind ?? 'quiz';
    if (opts.contentCached === true && kind === 'quiz') await startOnceForTheCache(opts, fake, dir);
    // Requests before this one are the first start's.
    const startedAt = fake.requests.length;
    bot = await startBotProcess({
      ...(opts.entry === undefined ? botEntry(kind) : { entry: opts.entry, tsx: opts.tsx ?? true }),
      fake,
      storeUrl,
      contentDir: opts.contentDir,
      preload,
      nodeArgs: [...(opts.nodeArgs ?? startFlags()), ...(opts.probe ? ['--expose-gc'] : [])],
      env: { ...opts.env, ...(opts.probe ? probeEnv(probeFile) : {}) },
    });
    void bot.exited.then(() => driver.stop());
    if (kind === 'quiz') {
      await fake.waitForRequest((r) => isRegistration(r) && fake.requests.indexOf(r) >= startedAt, 10_000);
    }
    await sleep(500);
    const startRssMb = bot.memory().rssMb;

    let points = 0;
    const members = new Set<number>();
    // Slot m's k-th click: a question spread over the whole corpus; a new member every few answers.
    const next = (slot: number, k: number): ClickSpec => {
      const target = targets[(slot * 7_919 + k) % targets.length]!;
      const answer = answerFor(target, k + slot);
      return { target, answer, member: slot + opts.members * Math.floor(k / opts.answersPerMember) };
    };
    const load = await closedLoop(driver, kind, {
      members: opts.members,
      durationMs: opts.maxMs,
      maxClicks: opts.clicks,
      next,
      onSent: (spec) => {
        members.add(spec.member);
        if (spec.answer === spec.target.correctIndex) points += 1;
      },
    });
    if (driver.stopped) throw new Error(`the bot exited during the memory run:\n${bot.output()}`);
    // Let in-flight work and the next young-generation GC settle before reading.
    await sleep(1_000);
    const { rssMb: endRssMb, peakRssMb } = bot.memory();
    const probe = opts.probe ? await readProbe(bot, probeFile) : undefined;
    await bot.stop();
    const store =
      kind === 'quiz'
        ? await checkStore(storeUrl, fake.guilds[0]!.id, {
            answers: load.sent,
            points,
            members: members.size,
          })
        : undefined;
    return {
      label: opts.label ?? 'quiz',
      startRssMb,
      endRssMb,
      peakRssMb,
      distinctMembers: members.size,
      load,
      ...(store ? { store } : {}),
      problems: bot.problems(),
      ...(probe ? { probe } : {}),
    };
  } finally {
    await bot?.stop();
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function isRegistration(request: RecordedRequest): boolean {
  return request.method === 'PUT' && request.path.endsWith('/commands');
}

/**
 * Starts the quiz bot and stops it once it has registered its commands: the content cache it saved
 * beside its store is in `dir`. Its store is a file of its own, so that the measured start registers
 * its commands again (a fresh store) and only the content cache carries over.
 */
async function startOnceForTheCache(opts: MemoryBenchOptions, fake: FakeDiscord, dir: string): Promise<void> {
  const first = await startBotProcess({
    ...botEntry('quiz'),
    fake,
    storeUrl: `sqlite://${join(dir, 'first-start.sqlite')}`,
    contentDir: opts.contentDir,
    nodeArgs: opts.nodeArgs ?? startFlags(),
  });
  try {
    await fake.waitForRequest(isRegistration, 30_000);
  } finally {
    await first.stop();
  }
}

/** Where the probe writes; BENCH_HEAP_SNAPSHOT=<file> in the bench's environment asks for a heap snapshot too. */
function probeEnv(probeFile: string): Record<string, string> {
  const snapshot = process.env.BENCH_HEAP_SNAPSHOT;
  return { BENCH_PROBE_FILE: probeFile, ...(snapshot ? { BENCH_HEAP_SNAPSHOT: snapshot } : {}) };
}

async function readProbe(bot: BotProcess, file: string): Promise<ProbeReport | undefined> {
  bot.signal('SIGUSR2');
  for (let waited = 0; waited < 60_000; waited += 100) {
    await sleep(100);
    try {
      return JSON.parse(await readFile(file, 'utf8')) as ProbeReport;
    } catch {
      // not written yet
    }
  }
  return undefined;
}

export function describeMemory(m: MemoryFigures): string {
  return (
    `${m.label}: rss ${m.startRssMb.toFixed(0)} MB with the corpus -> ${m.endRssMb.toFixed(0)} MB after ` +
    `${m.load.replied.toLocaleString('en')} graded clicks by ${m.distinctMembers.toLocaleString('en')} members ` +
    `(peak ${m.peakRssMb.toFixed(0)} MB; ${m.load.perSecond.toFixed(0)}/s` +
    (m.store
      ? `; store ${m.store.answers}/${m.store.expectedAnswers}, lost ${m.store.lost}, double ${m.store.doubleCounted})`
      : ')') +
    (m.probe
      ? `\n  probe: ${JSON.stringify(m.probe, (_k, v: unknown) => (typeof v === 'number' && v > 1e5 ? Math.round(v / 1e6) : typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`
      : '')
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const probe = process.argv.includes('--probe');
  console.log(describeMemory(await runMemoryBench({ ...(quick ? QUICK_MEMORY : FULL_MEMORY), probe })));
}
