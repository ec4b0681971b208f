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
import { FakeDiscord } from '../../src/sandbox/fake-discord.js';
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
  /** Node options; those of `npm start` when not given. */
  nodeArgs?: string[];
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

/** One start in `dir` (the store and the content cache persist there from one start to the next). */
async function startOnce(
  variant: StartupVariant,
  target: Target,
  contentDir: string,
  dir: string,
  member: number,
): Promise<StartupFigures> {
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
      nodeArgs: variant.nodeArgs ?? startFlags(),
    });
    const connectedMs = performance.now() - spawnedAt;
    // A new member each start: a first answer, so the reply is a grade.
    const reply = await driver.click({ target, answer: answerFor(target, 0), member });
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
  }
}

/**
 * After one untimed first start of each variant, `rounds` rounds of every variant, alternating; the
 * figures of every timed run, in run order.
 */
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
  const work = await mkdtemp(join(tmpdir(), 'quizbot-bench-startup-'));
  // Separate folders: the compiled bot and the one through tsx have different parser versions.
  const dirs = variants.map((_, index) => join(work, `variant-${index}`));
  let member = 1;
  try {
    for (const [index, variant] of variants.entries()) {
      await startOnce(variant, target, contentDir, dirs[index] ?? work, member++);
    }
    const runs: StartupFigures[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const [index, variant] of variants.entries()) {
        const figures = await startOnce(variant, target, contentDir, dirs[index] ?? work, member++);
        log(
          `${figures.label.padEnd(26)} ready ${figures.readyMs.toFixed(0)} ms (connected ${figures.connectedMs.toFixed(0)} ms), cpu ${figures.cpuMs.toFixed(0)} ms, rss ${figures.rssMb.toFixed(0)} MB`,
        );
        runs.push(figures);
        await sleep(200);
      }
    }
    return runs;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
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
  const variants = startupVariants();
  // --source-maps: also the compiled bot with node's --enable-source-maps, to see what it costs.
  const compiled = variants[0];
  if (process.argv.includes('--source-maps') && compiled) {
    variants.splice(1, 0, {
      ...compiled,
      label: 'quiz bot, JS + source maps',
      nodeArgs: [...startFlags(), '--enable-source-maps'],
    });
  }
  const runs = await runStartupBench(quick ? 1 : 5, variants, DEFAULT_CORPUS, (line) => console.log(line));
  for (const [label, figures] of summarizeStartup(runs)) {
    console.log(
      `${label.padEnd(24)} median ready ${figures.readyMs.toFixed(0)} ms, cpu ${figures.cpuMs.toFixed(0)} ms, rss ${figures.rssMb.toFixed(0)} MB`,
    );
  }
}
