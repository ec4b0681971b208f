// Benchmark: start to ready. A bot process is spawned against a fake Discord with a fresh store, and
// timed until it has answered its first click: the click is dispatched the moment the fake has sent
// READY, so the figure covers node's start, module loading, the content load (the quiz bot's CONTENT_DIR),
// the store's opening, the login and the first reply. Resident memory is read just after that reply.
// The quiz bot and the bare discord.js bot run alternately, each as JavaScript (what `npm start` runs)
// and, for comparison, through tsx's loader.
// Run alone: npx tsx test/bench/startup.ts [--quick]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeDiscord } from '../support/fake-discord.js';
import {
  BARE_ENTRY,
  QUIZ_ENTRY,
  botEntry,
  startBotProcess,
  startFlags,
  type BotProcess,
} from './bot-process.js';
import { ClickDriver, answerFor, loadTargets, sleep, type Target } from './clicks.js';
import { DEFAULT_CORPUS, median } from './content.js';

export interface StartupVariant {
  label: string;
  kind: 'quiz' | 'bare';
  entry: string;
  tsx: boolean;
}

export interface StartupFigures {
  label: string;
  /** Spawn to the first click answered (ms). */
  readyMs: number;
  /** Spawn to the fake sending READY (ms). */
  connectedMs: number;
  rssMb: number;
  /** CPU time of the process (all threads) until the first reply (ms; 10 ms ticks). */
  cpuMs: number;
}

/** The four ways of running the two bots, compiled ones built on demand. */
export function startupVariants(): StartupVariant[] {
  return [
    { label: 'quiz bot, JavaScript', kind: 'quiz', ...botEntry('quiz') },
    { label: 'bare bot, JavaScript', kind: 'bare', ...botEntry('bare') },
    { label: 'quiz bot, through tsx', kind: 'quiz', entry: QUIZ_ENTRY, tsx: true },
    { label: 'bare bot, through tsx', kind: 'bare', entry: BARE_ENTRY, tsx: true },
  ];
}

async function startOnce(
  variant: StartupVariant,
  target: Target,
  contentDir: string,
): Promise<StartupFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'quizbot-bench-startup-'));
  const fake = await FakeDiscord.start();
  const driver = new ClickDriver(fake);
  let bot: BotProcess | undefined;
  try {
    const spawnedAt = performance.now();
    bot = await startBotProcess({
      entry: variant.entry,
      tsx: variant.tsx,
      fake,
      storeUrl: `sqlite://${join(dir, 'quiz.sqlite')}`,
      contentDir,
      nodeArgs: startFlags(),
    });
    const connectedMs = performance.now() - spawnedAt;
    const reply = await driver.click({ target, answer: answerFor(target, 0), member: 1 });
    const readyMs = performance.now() - spawnedAt;
    const expected = variant.kind === 'bare' ? 'ok' : 'right';
    if (reply.outcome !== expected) {
      throw new Error(
        `${variant.label}: first click got ${reply.outcome}, expected ${expected}:\n${bot.output()}`,
      );
    }
    const cpuMs = bot.cpu().totalMs;
    const { rssMb } = bot.memory();
    return { label: variant.label, readyMs, connectedMs, rssMb, cpuMs };
  } finally {
    await bot?.stop();
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** `rounds` rounds of every variant, alternating; the figures of every run, in run order. */
export async function runStartupBench(
  rounds: number,
  variants = startupVariants(),
  contentDir = DEFAULT_CORPUS,
  log: (line: string) => void = () => undefined,
): Promise<StartupFigures[]> {
  const probe = await FakeDiscord.start();
  let target: Target | undefined;
  try {
    // The fake's guild and channel ids are the same in every fake, so one set of targets serves all.
    target = (await loadTargets(contentDir, probe))[0];
  } finally {
    await probe.stop();
  }
  if (!target) throw new Error(`no question under ${contentDir}`);
  const runs: StartupFigures[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) {
      const figures = await startOnce(variant, target, contentDir);
      log(
        `${figures.label.padEnd(24)} ready ${figures.readyMs.toFixed(0)} ms (connected ${figures.connectedMs.toFixed(0)} ms), cpu ${figures.cpuMs.toFixed(0)} ms, rss ${figures.rssMb.toFixed(0)} MB`,
      );
      runs.push(figures);
      await sleep(200);
    }
  }
  return runs;
}

/** Median ready time and RSS of each variant. */
export function summarizeStartup(
  runs: StartupFigures[],
): Map<string, { readyMs: number; rssMb: number; cpuMs: number }> {
  const labels = [...new Set(runs.map((run) => run.label))];
  return new Map(
    labels.map((label) => {
      const of = runs.filter((run) => run.label === label);
      const pick = (key: 'readyMs' | 'rssMb' | 'cpuMs') => median(of.map((run) => run[key]));
      return [label, { readyMs: pick('readyMs'), rssMb: pick('rssMb'), cpuMs: pick('cpuMs') }];
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const runs = await runStartupBench(quick ? 1 : 5, startupVariants(), DEFAULT_CORPUS, (line) =>
    console.log(line),
  );
  for (const [label, figures] of summarizeStartup(runs)) {
    console.log(
      `${label.padEnd(24)} median ready ${figures.readyMs.toFixed(0)} ms, cpu ${figures.cpuMs.toFixed(0)} ms, rss ${figures.rssMb.toFixed(0)} MB`,
    );
  }
}
