// A member's progress per lecture: questions seen, right at the latest try, due now, and the
// lectures not started yet. Only the current version of each question counts. Pure.
import type { Lecture, Question } from '../content/types.js';
import type { QuestionRef } from '../quiz/answer.js';
import { questionKey } from '../quiz/answer.js';
import type { Catalog } from '../quiz/catalog.js';
import type { ReviewCard } from './card.js';
import type { MemberCard } from './card-store.js';
import { lectureQuestions } from './questions.js';

export interface QuestionProgress {
  ref: QuestionRef;
  question: Question;
  /** The member's card for this version of the question; undefined when never answered. */
  card: ReviewCard | undefined;
}

export interface LectureProgress {
  lecture: Lecture;
  /** Questions in the lecture, every set counted. */
  total: number;
  seen: number;
  /** Right at the latest try. */
  right: number;
  due: number;
  questions: QuestionProgress[];
}

export interface MemberProgress {
  /** Lectures with at least one question seen, in catalog (title) order. */
  started: LectureProgress[];
  /** Lectures with questions the member has not met yet, in catalog order. */
  notStarted: Lecture[];
}

export function lectureProgress(
  lecture: Lecture,
  cards: ReadonlyMap<string, ReviewCard>,
  now: number,
): LectureProgress {
  const questions = lectureQuestions(lecture).map(({ ref, question }) => ({
    ref,
    question,
    card: cards.get(questionKey(ref)),
  }));
  let seen = 0;
  let right = 0;
  let due = 0;
  for (const { card } of questions) {
    if (card === undefined) continue;
    seen += 1;
    if (card.lastCorrect) right += 1;
    if (card.due <= now) due += 1;
  }
  return { lecture, total: questions.length, seen, right, due, questions };
}

export function memberProgress(
  catalog: Pick<Catalog, 'lectures' | 'get'>,
  cards: readonly MemberCard[],
  now: number,
): MemberProgress {
  const byKey = cardsByKey(cards);
  const touched = new Set(cards.map((entry) => entry.ref.lectureId));
  const started: LectureProgress[] = [];
  const notStarted: Lecture[] = [];
  for (const lecture of catalog.lectures) {
    const progress = touched.has(lecture.id) ? lectureProgress(lecture, byKey, now) : null;
    if (progress !== null && progress.seen > 0) started.push(progress);
    else if (lectureQuestions(lecture).length > 0) notStarted.push(lecture);
  }
  return { started, notStarted };
}

export function cardsByKey(cards: readonly MemberCard[]): Map<string, ReviewCard> {
  return new Map(cards.map((entry) => [questionKey(entry.ref), entry.card]));
}

/** A bar of `width` cells, filled for `part` of `whole` (rounded down, so only all of it fills it). */
export function textBar(part: number, whole: number, width = 10): string {
  const filled = whole <= 0 ? 0 : Math.min(width, Math.floor((part / whole) * width));
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}
