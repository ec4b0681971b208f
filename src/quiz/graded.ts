// Every graded answer the bot records (a click on a posted quiz, a quiz event's answers when it
// ends, and any later way of answering) is reported here once it is stored, so the features that
// learn from answers hang off one place instead of each handler. Reported before the member's reply
// goes out: a listener's write is on disk when the member is told anything.
import type { QuestionRef } from './answer.js';

export type AnswerSource = 'quiz' | 'event' | 'practice' | 'review';

export interface GradedAnswer {
  guildId: string;
  userId: string;
  /** The lecture question answered, as its button named it (lecture, set, index, fingerprint). */
  question: QuestionRef;
  /** 0-based answer index. */
  choice: number;
  correct: boolean;
  /** Epoch milliseconds. */
  at: number;
  source: AnswerSource;
  /** True for the answer that scored: the first one to a question in a channel quiz or an event. */
  first: boolean;
  /** For event answers: the event and which run of it. */
  /**
   * A stable id of this answer where its source has one (a practice or review step), so that a
   * listener told twice can tell the repeat from a new answer.
   */
  answerId?: string;
  /** For event answers: the event and which run of it. */
  event?: {
    id: string;
    occurrence: number;
    /** The question's place in the event (0-based); absent in answers reported before it was added. */
    question?: number;
    /** Ms from the question opening to the answer (event standings rank on it). */
    ms?: number;
  };
  /** The member's name in the server when they answered, for teachers' exports. */
  userName?: string;
}

/**
 * One feature that learns from answers. May be told about the same answer again after a crash or a
 * retried step: a listener must make a repeat harmless (key its writes by the answer).
 */
export interface GradedAnswerListener {
  answerGraded(answer: GradedAnswer): Promise<void>;
}

/** Tells every listener, in parallel; rejects if any of them failed to record it. */
export class GradedAnswers {
  constructor(private readonly listeners: readonly GradedAnswerListener[] = []) {}

  async report(answer: GradedAnswer): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener.answerGraded(answer)));
  }
}
