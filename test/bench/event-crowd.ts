// Benchmark: a quiz event question answered by a crowd. Members answer one open question through the
// bot's EventStore on its own store (a temp SQLite file, the bot's settings), arriving at a steady rate
// as clicks would; every answer is acknowledged only once it is on disk. Prints CPU per answer and the
// slowest acknowledgement, for crowds of growing size: with each answer a record of its own, the cost
// of an answer does not grow with the crowd. Run alone: npx tsx test/bench/event-crowd.ts [--quick]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newQuizEvent } from '../../src/events/model.js';
import { EventStore } from '../../src/events/store.js';
import { openStore } from '../../src/store/index.js';
import { eventInput } from '../events/fixtures.js';

export interface EventCrowdFigures {
  answers: number;
  perSecond: number;
  /** CPU of this process per answer (µs). */
  cpuUsPerAnswer: number;
  /** Longest time from an answer to its acknowledgement (ms). */
  slowestAckMs: number;
  /** Answers on the sheet read back from a fresh EventStore after the close. */
  readBack: number;
}

/** Arrivals are sent in ticks of this length, as a crowd's clicks arrive between event-loop turns. */
const TICK_MS = 10;

export async function runEventCrowd(answers: number, perSecond: number): Promise<EventCrowdFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'quizbot-bench-event-'));
  const store = await openStore(`sqlite://${join(dir, 'quiz.sqlite')}`, {
    logger: { warn: () => undefined },
  });
  try {
    const events = new EventStore(store.keyv, { kv: store.kv });
    const now = Date.now();
    const event = { ...newQuizEvent(eventInput(), 'CROWD1', now), status: 'running' as const };
    await events.save(event);
    await events.openAnswers(event, 0, { openedAt: now, closesAt: now + 3_600_000, answerCount: 4 });
    const perTick = Math.max(1, Math.round((perSecond * TICK_MS) / 1000));
    const acknowledged: Promise<void>[] = [];
    let slowestAckMs = 0;
    const before = process.cpuUsage();
    for (let i = 0; i < answers; i++) {
      const sent = performance.now();
      const click = {
        eventId: event.id,
        occurrence: event.occurrence,
        questionIndex: 0,
        userId: `m${i}`,
        choice: i % 4,
        at: now + i,
        guildId: event.guildId,
        channelId: event.channelId,
      };
      acknowledged.push(
        events.recordAnswer(click).then((result) => {
          if (!result.accepted) throw new Error(`answer ${i} was refused: ${result.reason}`);
          slowestAckMs = Math.max(slowestAckMs, performance.now() - sent);
        }),
      );
      if ((i + 1) % perTick === 0) await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    await Promise.all(acknowledged);
    const used = process.cpuUsage(before);
    await events.closeAnswers(event.id, event.occurrence, 0);
    const [sheet] = await new EventStore(store.keyv, { kv: store.kv }).answerSheets(
      event.id,
      event.occurrence,
      1,
    );
    return {
      answers,
      perSecond,
      cpuUsPerAnswer: (used.user + used.system) / answers,
      slowestAckMs,
      readBack: Object.keys(sheet?.answers ?? {}).length,
    };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = process.argv.includes('--quick') ? [1_000] : [1_000, 10_000];
  for (const size of sizes) console.log(await runEventCrowd(size, 1_000));
}
