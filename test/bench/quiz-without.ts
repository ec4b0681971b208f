// Bench-only: the bot as `npm start` runs it, except that a click on a posted quiz skips some of the
// durable work the bot does before it replies, named in BENCH_WITHOUT (comma-separated):
//   counts  the teachers' results (src/stats/recorder.ts)
//   study   the review card and the most-missed counter (src/study/listener.ts)
// What a click costs with and without each is the price of that feature on the click path (the
// bench's "click work" section, `npm run bench -- --variants`). Answers from events, practice and
// review are untouched. Bundled by compiledForBench, so that the patch reaches the bot's own classes.
import type { GradedAnswer } from '../../src/quiz/graded.js';
import { StatsRecorder } from '../../src/stats/recorder.js';
import { StudyListener } from '../../src/study/listener.js';

const without = new Set((process.env.BENCH_WITHOUT ?? '').split(',').filter((name) => name !== ''));
const known = new Set(['counts', 'study']);
for (const name of without) {
  if (!known.has(name)) throw new Error(`BENCH_WITHOUT: unknown part ${name} (counts, study)`);
}

interface Listener {
  answerGraded: (this: unknown, answer: GradedAnswer) => Promise<void>;
}

function skipQuizClicks(listener: { prototype: Listener }): void {
  const { answerGraded } = listener.prototype;
  listener.prototype.answerGraded = function (this: unknown, answer: GradedAnswer): Promise<void> {
    return answer.source === 'quiz' ? Promise.resolve() : answerGraded.call(this, answer);
  };
}

if (without.has('counts')) skipQuizClicks(StatsRecorder);
if (without.has('study')) skipQuizClicks(StudyListener);

await import('../../src/index.js');
