// Prints what members and moderators see at each stage of a quiz event, as text, using the bot's
// real render functions and the test lecture. docs/moderators.md quotes its output; regenerate with
//   npx tsx test/support/event-examples.ts
import { fileURLToPath } from 'node:url';
import { loadContent } from '../../src/content/load.js';
import {
  eventCancelledReply,
  eventIntroMessage,
  eventListMessage,
  eventQuestionMessage,
  eventReminderMessage,
  eventRevealMessage,
  eventScheduledReply,
  eventStandingsMessage,
  reviewNightIntroMessage,
  reviewNightTitle,
} from '../../src/events/discord/render.js';
import { show } from './show-message.js';
import { revealQuestion } from '../../src/events/engine.js';
import { standings } from '../../src/events/standings.js';
import { newQuizEvent } from '../../src/events/model.js';
import type { AnswerSheet, QuizEvent } from '../../src/events/model.js';

const LECTURES = fileURLToPath(new URL('../fixtures/lectures', import.meta.url));
const START = Date.parse('2026-06-05T16:00:00Z');
const [alice, bob, carol] = ['500000000000000001', '500000000000000002', '500000000000000003'];

const { lectures } = await loadContent([LECTURES]);
const lecture = lectures.find((candidate) => candidate.id === 'shell-basics');
if (!lecture) throw new Error('the test lecture shell-basics is missing');
const questions = lecture.questions;

const scheduled: QuizEvent = {
  ...newQuizEvent(
    {
      guildId: '200000000000000001',
      channelId: '300000000000000001',
      lectureId: lecture.id,
      createdBy: '500000000000000009',
      startAt: START,
      zone: 'Europe/Berlin',
      repeat: 'weekly',
      secondsPerQuestion: 30,
      questionLimit: null,
      reminderMinutes: 10,
      introSeconds: 60,
    },
    'K7Q2MX',
    START - 3 * 86_400_000,
  ),
};
const summary = { event: scheduled, lectureTitle: lecture.title, questionCount: questions.length };
const running: QuizEvent = { ...scheduled, status: 'running', questions };

show(
  '/quizevent schedule: the reply (only the moderator sees it)',
  eventScheduledReply(summary, [
    '📅 A Discord event was created too: members see it under Events and can ask to be notified.',
  ]),
);
show('/quizevent list', eventListMessage([summary]));
show('Reminder, 10 minutes before', eventReminderMessage(scheduled, lecture.title, questions.length));
show(
  'Intro: the lecture, then a minute to read it',
  eventIntroMessage(running, lecture, questions, START + 60_000),
);

const question = questions[0]!;
const at = { event: running, index: 0, total: questions.length };
const closesAt = START + 60_000 + 30_000;
show('Question with its countdown', eventQuestionMessage(question, at, closesAt));

const sheet: AnswerSheet = {
  eventId: running.id,
  guildId: 'guild-1',
  channelId: 'channel-1',
  occurrence: 1,
  questionIndex: 0,
  answerCount: question.answers.length,
  openedAt: closesAt - 30_000,
  closesAt,
  closed: true,
  answers: {
    [alice]: { choice: 1, at: closesAt - 26_000, ms: 4_000 },
    [bob]: { choice: 0, at: closesAt - 21_000, ms: 9_000 },
    [carol]: { choice: 1, at: closesAt - 18_000, ms: 12_000 },
  },
};
show(
  "Time's up: the same message, edited once",
  eventRevealMessage(question, at, revealQuestion(sheet, 0, question)),
);

const secondSheet = { [alice]: { choice: 0, at: 0, ms: 6_000 }, [bob]: { choice: 0, at: 0, ms: 3_000 } };
const ranked = standings(
  [sheet.answers, secondSheet],
  questions.map((q) => q.correctIndex),
  running.secondsPerQuestion * 1000,
);
show('Standings', eventStandingsMessage(running, lecture.title, ranked));
show('/quizevent cancel', eventCancelledReply(summary, ['Its Discord event was cancelled too.']));

// ---- a review night: the server's most-missed questions, across lectures ----

const git = lectures.find((candidate) => candidate.id === 'git-quiz');
const branch = git?.quizzes[0]?.questions[1];
if (!git || !branch) throw new Error('the test lecture git-quiz is missing');
const review = { days: 14 };
const night: QuizEvent = {
  ...scheduled,
  lectureId: '',
  review,
  repeat: 'none',
  questionLimit: 10,
  status: 'running',
  questions: [question, branch],
};
show(
  '/quizevent schedule review:True: the reply',
  eventScheduledReply(
    { event: { ...night, status: 'scheduled' }, lectureTitle: reviewNightTitle(review), questionCount: 2 },
    [
      '📅 A Discord event was created too: members see it under Events and can ask to be notified.',
      '🔁 The questions are picked when it starts, from what was missed by then. Right now it would ask 2, from **Getting Around in the Shell**, **Version Control Quiz**.',
    ],
  ),
);
show(
  'Review night intro',
  reviewNightIntroMessage(night, review, [lecture.title, git.title], night.questions ?? [], START + 60_000),
);
show(
  'A review night question names its lecture',
  eventQuestionMessage(branch, { event: night, index: 1, total: 2, from: git.title }, closesAt),
);
