// What the counters say, in a teacher's terms: per question, hardest first, how often the first
// answer was right and which wrong answer was chosen most, with the author's feedback for it (the
// misconception it reveals). Pure: counters and the lecture in, a report out.
import { answerLetter } from '../content/present.js';
import type { Lecture, Question } from '../content/types.js';
import { questionAt, questionSets } from '../quiz/catalog.js';
import { questionFingerprint } from '../quiz/fingerprint.js';
import type { LectureStats, OccurrenceStats, QuestionCounts } from './model.js';
import { parseVersionKey, slotRef } from './model.js';

export interface WrongAnswer {
  letter: string;
  text: string;
  count: number;
  /** Of all first answers to the question, 0..1. */
  share: number;
  feedback: string | null;
}

export interface QuestionResult {
  /** As members count: "3", or "2.3" for question 3 of a quiz file's set 2. */
  label: string;
  /** The question's markdown, or null when this version is no longer in the lecture. */
  text: string | null;
  answers: number;
  right: number;
  /** right / answers, 0..1; null when nobody answered. */
  accuracy: number | null;
  wrong: WrongAnswer | null;
  /** The lecture's title, where an event run asked questions of several lectures (a review night). */
  from?: string;
}

export interface Report {
  title: string;
  participants: number;
  answers: number;
  right: number;
  /** Right first answers per participant. */
  meanRight: number | null;
  /** Hardest first; questions nobody answered last, in lecture order. */
  questions: QuestionResult[];
  /** First answers to question versions the lecture no longer has (edited or removed questions). */
  olderAnswers: number;
}

/** The label members see for a question: its number, prefixed by the set in a quiz file. */
export function questionLabel(
  lecture: Pick<Lecture, 'quizzes'> | undefined,
  set: number,
  index: number,
): string {
  return lecture !== undefined && lecture.quizzes.length > 0 ? `${set + 1}.${index + 1}` : `${index + 1}`;
}

/** Every current question of the lecture with its counters (zero where nobody answered yet). */
export function lectureReport(lecture: Lecture, stats: LectureStats | undefined): Report {
  const questions: QuestionResult[] = [];
  const current = new Set<string>();
  questionSets(lecture).forEach((set, setIndex) =>
    set.forEach((question, index) => {
      const key = `${setIndex}:${index}:${questionFingerprint(question)}`;
      current.add(key);
      questions.push(result(questionLabel(lecture, setIndex, index), question, stats?.questions[key]));
    }),
  );
  const olderAnswers = Object.entries(stats?.questions ?? {})
    .filter(([key]) => !current.has(key))
    .reduce((sum, [, counts]) => sum + counts.answers, 0);
  return summary(lecture.title, stats, questions, olderAnswers);
}

/**
 * One event occurrence: the questions it asked, each matched to its own lecture's question when
 * unchanged since (a review night's come from several lectures). `lectureOf` looks a lecture up by id.
 */
export function occurrenceReport(
  title: string,
  lectureOf: (lectureId: string) => Lecture | undefined,
  stats: OccurrenceStats,
): Report {
  const lectureIds = new Set(
    Object.entries(stats.questions).map(([slot, counts]) => slotRef(stats, slot, counts).lectureId),
  );
  const questions = Object.entries(stats.questions)
    .map(([slot, counts]) => {
      const ref = slotRef(stats, slot, counts);
      const lecture = lectureOf(ref.lectureId);
      const question = lecture === undefined ? undefined : questionAt(lecture, ref.set, ref.question);
      const same = question !== undefined && questionFingerprint(question) === counts.fingerprint;
      const index = Number(slot);
      // Across lectures a question is known by its place in the event, and says where it is from.
      const label = lectureIds.size > 1 ? `${index + 1}` : questionLabel(lecture, ref.set, ref.question);
      const from = lectureIds.size > 1 ? (lecture?.title ?? ref.lectureId) : undefined;
      return { index, result: result(label, same ? question : null, counts, from) };
    })
    .sort((a, b) => a.index - b.index)
    .map((entry) => entry.result);
  return summary(title, stats, questions, 0);
}

function summary(
  title: string,
  totals: { participants: number; answers: number; right: number } | undefined,
  questions: QuestionResult[],
  olderAnswers: number,
): Report {
  const participants = totals?.participants ?? 0;
  return {
    title,
    participants,
    answers: totals?.answers ?? 0,
    right: totals?.right ?? 0,
    meanRight: participants === 0 ? null : (totals?.right ?? 0) / participants,
    questions: hardestFirst(questions),
    olderAnswers,
  };
}

function result(
  label: string,
  question: Question | null,
  counts: QuestionCounts | undefined,
  from?: string,
): QuestionResult {
  const answers = counts?.answers ?? 0;
  const right = counts?.right ?? 0;
  return {
    label,
    text: question?.text ?? null,
    answers,
    right,
    accuracy: answers === 0 ? null : right / answers,
    wrong: question === null || counts === undefined ? null : mostChosenWrong(question, counts),
    ...(from === undefined ? {} : { from }),
  };
}

/** The wrong answer chosen most often (the earlier one on a tie); null when no wrong answer was chosen. */
export function mostChosenWrong(question: Question, counts: QuestionCounts): WrongAnswer | null {
  let index = -1;
  let count = 0;
  counts.choices.forEach((chosen, choice) => {
    if (choice !== question.correctIndex && chosen > count) {
      index = choice;
      count = chosen;
    }
  });
  if (index === -1) return null;
  const answer = question.answers[index];
  return {
    letter: answerLetter(index),
    text: answer?.text ?? '',
    count,
    share: counts.answers === 0 ? 0 : count / counts.answers,
    feedback: answer?.feedback ?? null,
  };
}

function hardestFirst(questions: QuestionResult[]): QuestionResult[] {
  const answered = questions.filter((question) => question.accuracy !== null);
  const unanswered = questions.filter((question) => question.accuracy === null);
  // Stable: equal accuracy keeps the question with more answers first, then lecture order.
  answered.sort((a, b) => (a.accuracy ?? 0) - (b.accuracy ?? 0) || b.answers - a.answers);
  return [...answered, ...unanswered];
}

/** A version key's question, for rows of the CSV: its label in the lecture as it is now. */
export function versionLabel(lecture: Lecture | undefined, key: string): string {
  const version = parseVersionKey(key);
  return version === null ? key : questionLabel(lecture, version.set, version.question);
}
