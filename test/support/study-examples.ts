// Prints what a member sees when practising, reviewing and checking progress, as text: the real
// study flows (src/study/study.ts) over an in-memory store and the test lectures, rendered by the
// real renderers. docs/studying.md quotes its output; regenerate with
//   npx tsx test/support/study-examples.ts
import { fileURLToPath } from 'node:url';
import { loadContent } from '../../src/content/load.js';
import { show } from './show-message.js';
import { Catalog } from '../../src/quiz/catalog.js';
import { GradedAnswers } from '../../src/quiz/graded.js';
import { scoreMessage } from '../../src/quiz/discord/render.js';
import { openStore } from '../../src/store/index.js';
import {
  lectureProgressMessage,
  progressMessage,
  studyMessage,
  withReviewDue,
} from '../../src/study/discord/render.js';
import { Study } from '../../src/study/study.js';
import type { Member, StudyView } from '../../src/study/study.js';

const LECTURES = fileURLToPath(new URL('../fixtures/lectures', import.meta.url));
const START = Date.parse('2026-06-05T16:00:00Z');
const HOUR = 3_600_000;

function step(view: StudyView): { sessionId: string; position: number } {
  if (!('session' in view)) throw new Error(`no session in a ${view.kind} view`);
  return { sessionId: view.session.id, position: view.session.position };
}

const catalog = new Catalog((await loadContent([LECTURES])).lectures);
const shell = catalog.get('shell-basics');
if (!shell) throw new Error('the test lecture shell-basics is missing');
const store = await openStore('sqlite://:memory:');
const study = new Study(store.records);
const graded = new GradedAnswers([study.listener]);
const at = (now: number): Member => ({
  guildId: '200000000000000001',
  userId: '500000000000000001',
  catalog,
  now,
});
const practice = { kind: 'practice', lectureId: shell.id } as const;

let view = await study.startPractice(at(START), shell, null, () => 0);
show('/quiz practice lecture:shell-basics', studyMessage(view));
view = await study.answer(at(START), graded, practice, step(view), 0);
show('A wrong answer (A): the grade, the feedback, when it comes back', studyMessage(view));
view = await study.next(at(START), practice, step(view));
view = await study.answer(at(START), graded, practice, step(view), 0);
show('A right answer, on the last question', studyMessage(view));
view = await study.next(at(START), practice, step(view));
show('The summary', studyMessage(view));

// A second run, left after one (wrong) answer: running it again offers to continue.
const second = await study.startPractice(at(START), shell, null, () => 0);
await study.answer(at(START), graded, practice, step(second), 0);
show(
  '/quiz practice on an unfinished run',
  studyMessage(await study.startPractice(at(START), shell, null, () => 0)),
);

view = await study.startReview(at(START + HOUR));
show('/quiz review: what is due, most overdue first', studyMessage(view));
view = await study.answer(at(START + HOUR), graded, { kind: 'review' }, step(view), 1);
show('A right answer in review: back in days', studyMessage(view));
view = await study.next(at(START + HOUR), { kind: 'review' }, step(view));
show('The end of a review', studyMessage(view));
show('/quiz review with nothing due', studyMessage(await study.startReview(at(START + HOUR))));

show('/quiz progress', progressMessage(await study.progress(at(START + HOUR))));
show(
  '/quiz progress lecture:shell-basics',
  lectureProgressMessage(await study.lectureProgress(at(START + HOUR), shell), START + HOUR),
);

const score = scoreMessage(
  {
    userId: '500000000000000001',
    points: 3,
    answered: 4,
    correct: 3,
    accuracy: 0.75,
    streak: 2,
    bestStreak: 2,
    rank: 1,
    players: 5,
  },
  '500000000000000001',
);
show(
  '/quiz score with questions due',
  withReviewDue(score, { due: 2, scheduled: 1, nextDueAt: START + 3 * 24 * HOUR }),
);
await store.close();
