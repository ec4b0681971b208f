// Benchmark: what the metrics hooks add to one click, timed alone (a click's own CPU is far too noisy
// on a shared machine to show a few microseconds). Per click the router times the interaction and
// counts it, and the store wrapper times recordAnswer. Run: npx tsx test/bench/metrics-hooks.ts
import { fileURLToPath } from 'node:url';
import { BotMetrics } from '../../src/metrics/metrics.js';
import { instrumentStore } from '../../src/metrics/store.js';
import type { QuizStore } from '../../src/store/index.js';
import { emptyScore } from '../../src/quiz/scoring.js';

const CLICKS = 200_000;

/** A store that answers at once, so only the wrapper's own cost is left. */
function instantStore(): QuizStore {
  const outcome = { firstAnswer: true, firstChoice: 0, firstCorrect: true, score: emptyScore() };
  const never = (): Promise<never> => Promise.reject(new Error('not used'));
  return {
    kind: 'sqlite',
    recordAnswer: () => Promise.resolve(outcome),
    getAnswer: never,
    getScore: never,
    leaderboard: never,
    warmLeaderboard: never,
    getMeta: never,
    setMeta: never,
    records: { getMany: never, setAtomically: never, getByPrefix: never },
    keyv: undefined as never,
    kv: undefined as never,
    stepLocks: undefined as never,
    table: undefined as never,
    close: () => Promise.resolve(),
  };
}

const input = { guildId: 'g', userId: 'u', questionKey: 'l:0:0:f', choice: 0, correct: true, at: 0 };

async function perClick(click: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20_000; i++) await click();
  const started = process.cpuUsage();
  for (let i = 0; i < CLICKS; i++) await click();
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / CLICKS; // ns per click
}

export async function runMetricsHooksBench(): Promise<{ bareNs: number; hookedNs: number }> {
  const metrics = new BotMetrics({
    gateway: () => ({ connected: true, pingMs: 1 }),
    eventStatuses: () => [],
  });
  const raw = instantStore();
  const wrapped = instrumentStore(raw, metrics);
  const bare = async () => {
    await raw.recordAnswer(input);
  };
  // What the router and the store wrapper add around the same call.
  const hooked = async () => {
    const startedAt = performance.now();
    await wrapped.recordAnswer(input);
    metrics.interactionHandled({
      type: 'button',
      kind: 'answer',
      outcome: 'ok',
      seconds: (performance.now() - startedAt) / 1000,
    });
  };
  const rounds: { bareNs: number; hookedNs: number }[] = [];
  for (let round = 0; round < 5; round++)
    rounds.push({ bareNs: await perClick(bare), hookedNs: await perClick(hooked) });
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
  return { bareNs: median(rounds.map((r) => r.bareNs)), hookedNs: median(rounds.map((r) => r.hookedNs)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { bareNs, hookedNs } = await runMetricsHooksBench();
  console.log(
    `store call alone ${bareNs.toFixed(0)} ns; with the router and store hooks ${hookedNs.toFixed(0)} ns: the hooks add ${((hookedNs - bareNs) / 1000).toFixed(2)} µs per click`,
  );
}
