// Review nights: a quiz event built from the server's most-missed questions of the last days, across
// lectures, so the room practises what it got wrong. The questions are picked when the event starts
// (each run of a repeating one picks afresh); only questions that still exist as they were count.
import type { Question } from '../content/types.js';
import type { QuestionRef } from '../quiz/answer.js';
import type { LectureSource } from '../quiz/lectures.js';
import type { MissedCounter } from './missed.js';
import { currentQuestion } from './questions.js';

export const DEFAULT_REVIEW_DAYS = 14;
export const MAX_REVIEW_DAYS = 90;
export const DEFAULT_REVIEW_NIGHT_QUESTIONS = 10;
/** Fewer missed questions than this make no review night: it says so instead. */
export const MIN_REVIEW_NIGHT_QUESTIONS = 3;

export interface ReviewNightPick {
  /** Most missed first. */
  questions: Question[];
  /** Where each question comes from, by index. */
  sources: QuestionRef[];
  /** How often each was missed in the window, by index. */
  misses: number[];
  /** The lectures they come from, in order of first appearance. */
  lectureTitles: string[];
}

/** What quiz events ask of the study feature for a review night. */
export interface ReviewNightQuestions {
  pick(guildId: string, days: number, limit: number, now: number): Promise<ReviewNightPick>;
}

export class MostMissedQuestions implements ReviewNightQuestions {
  constructor(
    private readonly missed: MissedCounter,
    private readonly lectures: LectureSource,
  ) {}

  async pick(guildId: string, days: number, limit: number, now: number): Promise<ReviewNightPick> {
    const catalog = await this.lectures.forGuild(guildId);
    const pick: ReviewNightPick = { questions: [], sources: [], misses: [], lectureTitles: [] };
    for (const { ref, misses } of await this.missed.mostMissed(guildId, days, now)) {
      if (pick.questions.length >= limit) break;
      const question = currentQuestion(catalog, ref);
      if (question === undefined) continue;
      pick.questions.push(question);
      pick.sources.push(ref);
      pick.misses.push(misses);
      const title = catalog.get(ref.lectureId)?.title ?? ref.lectureId;
      if (!pick.lectureTitles.includes(title)) pick.lectureTitles.push(title);
    }
    return pick;
  }
}

/** Why there is no review night yet, or null when there are enough missed questions. */
export function tooLittleHistory(found: number, days: number): string | null {
  if (found >= MIN_REVIEW_NIGHT_QUESTIONS) return null;
  const what =
    found === 0
      ? 'No question was missed'
      : `Only ${found} question${found === 1 ? ' was' : 's were'} missed`;
  return (
    `${what} in this server in the last ${days} day${days === 1 ? '' : 's'}: a review night needs at least ` +
    `${MIN_REVIEW_NIGHT_QUESTIONS}. Run some quizzes first (/quiz start or a lecture event), or look further back with the days option.`
  );
}
