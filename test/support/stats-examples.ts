// Prints what /quizstats shows a moderator, as text, and writes its chart to docs/images, using the
// bot's real counters, report, renderer and chart on the upload fixture css-colors.md and twelve
// members' answers. docs/moderators.md quotes its output; regenerate with
//   npx tsx test/support/stats-examples.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseLecture } from '../../src/content/parse.js';
import { questionFingerprint } from '../../src/quiz/fingerprint.js';
import { lectureCsv } from '../../src/stats/csv.js';
import { accuracyChart } from '../../src/stats/discord/chart.js';
import { statsEmbed } from '../../src/stats/discord/render.js';
import { StatsRecorder } from '../../src/stats/recorder.js';
import { lectureReport } from '../../src/stats/report.js';
import { StatsStore } from '../../src/stats/store.js';
import { openStore } from '../../src/store/index.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/uploads/css-colors.md', import.meta.url));
const CHART = fileURLToPath(new URL('../../docs/images/quizstats-chart.png', import.meta.url));
const START = Date.parse('2026-06-05T16:00:00Z');

const lecture = parseLecture(readFileSync(FIXTURE, 'utf8'), 'css-colors.md').lecture;
if (!lecture) throw new Error('css-colors.md does not parse');
// Each member's first choice per question (B is right in all three).
const choices = ['BBC', 'ABC', 'ABB', 'BBB', 'BAC', 'ABC', 'BBA', 'BAB', 'ABC', 'BBC', 'CB', 'B'];
const store = await openStore('sqlite://:memory:', { logger: { warn: () => undefined } });
const recorder = new StatsRecorder(store.table);
await Promise.all(
  choices.flatMap((picks, member) =>
    [...picks].map((letter, index) => {
      const question = lecture.questions[index];
      if (!question) throw new Error('no such question');
      const choice = letter.charCodeAt(0) - 65;
      return recorder.answerGraded({
        guildId: '200000000000000001',
        userId: String(500000000000000001n + BigInt(member)),
        userName: [
          'alice',
          'bob',
          'carol',
          'dave',
          'erin',
          'frank',
          'grace',
          'heidi',
          'ivan',
          'judy',
          'ken',
          'lena',
        ][member],
        question: {
          lectureId: lecture.id,
          set: 0,
          question: index,
          fingerprint: questionFingerprint(question),
        },
        choice,
        correct: choice === question.correctIndex,
        at: START + member * 60_000 + index * 10_000,
        source: 'quiz',
        first: true,
      });
    }),
  ),
);
const stats = new StatsStore(store.table);
const report = lectureReport(lecture, await stats.lecture('200000000000000001', lecture.id));
const embed = statsEmbed({ title: `Results: ${lecture.title}`, report, chart: true });
const lines = ['```text', `▌ ${embed.title ?? ''}`];
lines.push(...(embed.description ?? '').split('\n').map((line) => `▌ ${line}`));
lines.push('▌ [chart: quizstats.png]', `▌ — ${embed.footer?.text ?? ''}`, '```', '');
const csv = lectureCsv(lecture, lecture.id, await stats.lectureMembers('200000000000000001', lecture.id));
lines.push('```text', ...csv.replace('\uFEFF', '').split('\r\n').slice(0, 5), '…', '```');
process.stdout.write(`${lines.join('\n')}\n`);
const chart = await accuracyChart(report);
writeFileSync(CHART, chart.png);
process.stdout.write(`\nchart: ${chart.width}×${chart.height} written to docs/images/quizstats-chart.png\n`);
await store.close();
