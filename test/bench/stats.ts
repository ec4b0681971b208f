// Benchmark: /quizstats for a lecture with 10,000 participants, through the real bot in its own
// process against the fake Discord. The store is seeded first through the bot's own StatsRecorder
// (10,000 members answering 20 questions: 200,000 first answers), which also gives how fast the
// counters take answers. Then, timed from the command's dispatch to the edit that carries the
// reply: the report with its chart, first (loads the chart libraries) and warm, and the CSV export.
// Run alone: npx tsx test/bench/stats.ts [--quick]
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLecture } from '../../src/content/parse.js';
import { questionFingerprint } from '../../src/quiz/fingerprint.js';
import type { GradedAnswer } from '../../src/quiz/graded.js';
import { StatsRecorder } from '../../src/stats/recorder.js';
import { openStore } from '../../src/store/index.js';
import { ADMIN_PERMISSIONS, FakeDiscord, user } from '../../src/sandbox/fake-discord.js';
import { botEntry, startBotProcess, startFlags } from './bot-process.js';
import { median } from './content.js';

export interface StatsBenchOptions {
  participants: number;
  questions: number;
  warmRuns: number;
  exportRuns: number;
}

export const FULL_STATS: StatsBenchOptions = {
  participants: 10_000,
  questions: 20,
  warmRuns: 5,
  exportRuns: 3,
};
export const QUICK_STATS: StatsBenchOptions = {
  participants: 10_000,
  questions: 20,
  warmRuns: 2,
  exportRuns: 1,
};

export interface StatsFigures {
  participants: number;
  answers: number;
  /** First answers the recorder counted per second while seeding (batches of a crowd). */
  seedPerSecond: number;
  /** The first /quizstats after start: counters, report and the chart libraries' first load. */
  firstMs: number;
  /** Median of the next ones. */
  warmMs: number;
  /** Median with export:True (reads one record per member, builds the CSV, compresses it if needed). */
  exportMs: number;
  exportFile: string;
  exportBytes: number;
  /** What the bot answered, checked: the totals line it must show. */
  checked: boolean;
}

const LECTURE_ID = 'bench-stats';
const GUILD_ID = '200000000000000001';

function lectureSource(questions: number): string {
  const blocks = Array.from(
    { length: questions },
    (_, index) =>
      `## --text--\n\nBench question ${index + 1}: which answer is right?\n\n## --answers--\n\nFirst\n\n### --feedback--\n\nNot this one.\n\n---\n\nSecond\n\n---\n\nThird\n\n## --video-solution--\n\n2\n`,
  );
  return `---\nid: ${LECTURE_ID}\ntitle: Stats Bench Lecture\n---\n\n# --description--\n\nA lecture for the stats benchmark.\n\n# --questions--\n\n${blocks.join('\n')}`;
}

async function seed(storeUrl: string, source: string, opts: StatsBenchOptions): Promise<number> {
  const lecture = parseLecture(source, 'bench.md').lecture;
  if (lecture === null) throw new Error('the bench lecture does not parse');
  const store = await openStore(storeUrl, { logger: { warn: () => undefined } });
  try {
    const recorder = new StatsRecorder(store.table);
    const started = performance.now();
    const crowd = 500;
    for (let first = 0; first < opts.participants; first += crowd) {
      const answers: GradedAnswer[] = [];
      for (let member = first; member < Math.min(opts.participants, first + crowd); member++) {
        lecture.questions.forEach((question, index) => {
          const choice = (member * 7 + index * 3) % 3;
          answers.push({
            guildId: GUILD_ID,
            userId: String(600_000_000_000_000_000n + BigInt(member)),
            userName: `member${member}`,
            question: {
              lectureId: LECTURE_ID,
              set: 0,
              question: index,
              fingerprint: questionFingerprint(question),
            },
            choice,
            correct: choice === question.correctIndex,
            at: 1_767_225_600_000 + member * 1000 + index,
            source: 'quiz',
            first: true,
          });
        });
      }
      await Promise.all(answers.map((answer) => recorder.answerGraded(answer)));
    }
    return (opts.participants * opts.questions) / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
  }
}

export async function runStatsBench(
  opts: StatsBenchOptions,
  log: (line: string) => void = () => undefined,
): Promise<StatsFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'quizbot-bench-stats-'));
  const contentDir = join(dir, 'content');
  const storeUrl = `sqlite://${join(dir, 'quiz.sqlite')}`;
  const fake = await FakeDiscord.start();
  try {
    const source = lectureSource(opts.questions);
    await mkdir(contentDir);
    await writeFile(join(contentDir, 'bench.md'), source);
    const seedPerSecond = await seed(storeUrl, source, opts);
    log(`seeded ${opts.participants * opts.questions} first answers at ${Math.round(seedPerSecond)}/s`);
    const bot = await startBotProcess({
      // The bot as npm start runs it (compiled).
      ...botEntry('quiz'),
      fake,
      storeUrl,
      contentDir,
      nodeArgs: startFlags(),
    });
    try {
      await fake.waitForRequest((r) => r.method === 'PUT' && r.path.endsWith('/commands'), 10_000);
      const moderator = user('500000000000000009', 'mod');
      const ask = async (
        exportCsv: boolean,
      ): Promise<{ ms: number; text: string; files: { name: string; size: number }[] }> => {
        const started = performance.now();
        const sent = fake.sendCommand({
          name: 'quizstats',
          options: [
            { type: 3, name: 'lecture', value: LECTURE_ID },
            ...(exportCsv ? [{ type: 5, name: 'export', value: true }] : []),
          ],
          user: moderator,
          permissions: ADMIN_PERMISSIONS,
        });
        const edit = await fake.waitForRequest(
          (r) => r.method === 'PATCH' && r.path.includes(`/${sent.token}/messages/@original`),
          30_000,
        );
        const ms = performance.now() - started;
        const embed = (edit.body as { embeds?: { description?: string }[] } | undefined)?.embeds?.[0];
        return { ms, text: embed?.description ?? '', files: edit.files ?? [] };
      };
      const first = await ask(false);
      const warm: number[] = [];
      for (let run = 0; run < opts.warmRuns; run++) warm.push((await ask(false)).ms);
      const exports: { ms: number; files: { name: string; size: number }[] }[] = [];
      for (let run = 0; run < opts.exportRuns; run++) exports.push(await ask(true));
      const csv = exports[0]?.files.find((file) => file.name.includes('.csv'));
      return {
        participants: opts.participants,
        answers: opts.participants * opts.questions,
        seedPerSecond,
        firstMs: first.ms,
        warmMs: median(warm),
        exportMs: median(exports.map((run) => run.ms)),
        exportFile: csv?.name ?? '(none)',
        exportBytes: csv?.size ?? 0,
        checked:
          first.text.includes(`**${opts.participants}** members`) &&
          first.files.some((file) => file.name === 'quizstats.png') &&
          csv !== undefined,
      };
    } finally {
      await bot.stop();
    }
  } finally {
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await runStatsBench(
    process.argv.includes('--quick') ? QUICK_STATS : FULL_STATS,
    console.log,
  );
  console.log(figures);
}
