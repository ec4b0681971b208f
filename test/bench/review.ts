// Benchmark: /quiz review for a member holding 5,000 review cards (one per question of the corpus),
// against the real bot in its own process and a fake Discord. Prints the round trip (dispatch →
// callback, an upper bound on the bot's time), the bot's main-thread CPU per command, the same for a
// member with no cards, and the card read and queue alone. Other members' cards sit in the same
// table, so a scan of all members would show. Run alone: npx tsx test/bench/review.ts [--quick]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeyvSqliteAdapter } from '../../src/store/sqlite-adapter.js';
import { loadContent } from '../../src/content/load.js';
import { questionKey } from '../../src/quiz/answer.js';
import type { QuestionRef } from '../../src/quiz/answer.js';
import { Catalog } from '../../src/quiz/catalog.js';
import { openStore } from '../../src/store/index.js';
import type { QuizStore } from '../../src/store/index.js';
import { cardKey } from '../../src/store/keys.js';
import { KeyvTable } from '../../src/store/sqlite.js';
import { applyAnswer, encodeCard } from '../../src/study/card.js';
import { CardStore } from '../../src/study/card-store.js';
import { lectureQuestions } from '../../src/study/questions.js';
import { reviewQueue } from '../../src/study/queue.js';
import { FakeDiscord, user } from '../../src/sandbox/fake-discord.js';
import { botEntry, ROOT, startBotProcess, startFlags } from './bot-process.js';
import { DEFAULT_CORPUS, median } from './content.js';

export const CARDS = 5_000;
/** Members whose cards share the table (each as many as the one measured). */
const OTHER_MEMBERS = 4;
const ROWS_PER_INSERT = 500;
const DAY = 86_400_000;

export interface ReviewFigures {
  cards: number;
  otherCards: number;
  /** Dispatch → callback, ms, for the member with 5,000 cards. */
  p50Ms: number;
  p90Ms: number;
  maxMs: number;
  /** The bot's CPU per /quiz review of that member, ms: main thread, and all threads (SQLite's too). */
  botCpuMs: number;
  botCpuAllMs: number;
  /** The same round trip for a member with no cards: the fixed cost of a command here. */
  emptyP50Ms: number;
  /** Reading the 5,000 cards (one range query) and ordering the due ones, in this process, ms. */
  readMs: number;
  queueMs: number;
  commands: number;
}

export async function runReviewBench(commands = 40): Promise<ReviewFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'quizbot-bench-review-'));
  const storeUrl = `sqlite://${join(dir, 'quiz.sqlite')}`;
  const contentDir = join(ROOT, DEFAULT_CORPUS);
  const catalog = new Catalog((await loadContent([contentDir])).lectures);
  const refs = catalog.lectures.flatMap((lecture) => lectureQuestions(lecture).map((entry) => entry.ref));
  if (refs.length < CARDS) throw new Error(`the corpus has ${refs.length} questions, fewer than ${CARDS}`);
  const fake = await FakeDiscord.start();
  const guildId = fake.guilds[0]?.id ?? '';
  const member = user('700000000000000001', 'reviewer');
  const newcomer = user('700000000000000002', 'newcomer');
  const now = Date.now();
  try {
    const store = await openStore(storeUrl, { logger: { warn: () => undefined } });
    try {
      await seedCards(store, guildId, member.id, refs.slice(0, CARDS), now);
      for (let other = 0; other < OTHER_MEMBERS; other++) {
        await seedCards(store, guildId, `70000000000000010${other}`, refs.slice(0, CARDS), now);
      }
    } finally {
      await store.close();
    }

    const bot = await startBotProcess({
      // The bot as npm start runs it (compiled).
      ...botEntry('quiz'),
      fake,
      storeUrl,
      contentDir,
      nodeArgs: startFlags(),
    });
    const round = async (who: typeof member, expected: string): Promise<number> => {
      const started = performance.now();
      const sent = fake.sendCommand({
        name: 'quiz',
        options: [{ type: 1, name: 'review', options: [] }],
        user: who,
      });
      const callback = await fake.waitForCallback(sent.id, 10_000);
      const ms = performance.now() - started;
      // A reply other than the one expected would time the wrong thing.
      const text = JSON.stringify(callback.data);
      if (!text.includes(expected)) throw new Error(`unexpected /quiz review reply: ${text.slice(0, 300)}`);
      return ms;
    };
    let times: number[];
    let empty: number[];
    let cpuMs: number;
    let cpuAllMs: number;
    try {
      await fake.waitForRequest((r) => r.method === 'PUT' && r.path.endsWith('/commands'), 10_000);
      // Warm-up: compile paths, open statements.
      for (let i = 0; i < 5; i++) await round(member, 'Question 1 of 20');
      const before = bot.cpu();
      times = [];
      for (let i = 0; i < commands; i++) times.push(await round(member, 'Question 1 of 20'));
      const after = bot.cpu();
      cpuMs = (after.mainMs - before.mainMs) / commands;
      cpuAllMs = (after.totalMs - before.totalMs) / commands;
      empty = [];
      for (let i = 0; i < Math.max(10, commands / 2); i++)
        empty.push(await round(newcomer, 'no questions to review yet'));
    } finally {
      await bot.stop();
    }

    const reopened = await openStore(storeUrl, { logger: { warn: () => undefined } });
    const reads: number[] = [];
    const queues: number[] = [];
    try {
      const cards = new CardStore(reopened.records);
      for (let i = 0; i < 20; i++) {
        const started = performance.now();
        const held = await cards.memberCards(guildId, member.id);
        const read = performance.now();
        const queue = reviewQueue(held, catalog, Date.now());
        queues.push(performance.now() - read);
        reads.push(read - started);
        if (held.length !== CARDS || queue.due.length === 0) throw new Error(`read ${held.length} cards`);
      }
    } finally {
      await reopened.close();
    }
    times.sort((a, b) => a - b);
    return {
      cards: CARDS,
      otherCards: CARDS * OTHER_MEMBERS,
      p50Ms: median(times),
      p90Ms: times[Math.floor(times.length * 0.9)] ?? Number.NaN,
      maxMs: times.at(-1) ?? Number.NaN,
      botCpuMs: cpuMs,
      botCpuAllMs: cpuAllMs,
      emptyP50Ms: median(empty),
      readMs: median(reads),
      queueMs: median(queues),
      commands,
    };
  } finally {
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** One card per ref for the member, half due (missed), half scheduled (right), in one transaction. */
async function seedCards(
  store: QuizStore,
  guildId: string,
  userId: string,
  refs: QuestionRef[],
  now: number,
): Promise<void> {
  const table = new KeyvTable(store.keyv.store as KeyvSqliteAdapter, store.keyv);
  await table.query('BEGIN');
  try {
    for (let start = 0; start < refs.length; start += ROWS_PER_INSERT) {
      const chunk = refs.slice(start, start + ROWS_PER_INSERT);
      const rows = await Promise.all(
        chunk.map((ref, i) => {
          const n = start + i;
          const answeredAt = now - ((n * 7_919) % 30) * DAY;
          const card = applyAnswer(undefined, n % 2 === 0, answeredAt);
          return table.toRow({ key: cardKey(guildId, userId, questionKey(ref)), value: encodeCard(card) });
        }),
      );
      await table.query(table.upsertSql(rows.length), ...rows.flat());
    }
    await table.query('COMMIT');
  } catch (error) {
    await table.query('ROLLBACK');
    throw error;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const f = await runReviewBench(process.argv.includes('--quick') ? 15 : 40);
  console.log(
    `/quiz review, ${f.cards.toLocaleString('en')} cards (${f.otherCards.toLocaleString('en')} of other members in the table), ` +
      `${f.commands} commands: round trip p50 ${f.p50Ms.toFixed(1)} ms, p90 ${f.p90Ms.toFixed(1)}, max ${f.maxMs.toFixed(1)}; ` +
      `bot CPU per command ${f.botCpuMs.toFixed(1)} ms main thread, ${f.botCpuAllMs.toFixed(1)} ms all threads; a member with no cards: p50 ${f.emptyP50Ms.toFixed(1)} ms; ` +
      `card read ${f.readMs.toFixed(1)} ms + queue ${f.queueMs.toFixed(1)} ms in process (target under 50 ms)`,
  );
}
