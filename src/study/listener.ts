// The study feature's ear on every graded answer (channel quiz, event, practice, review): the
// member's review card for the question moves, and a scored miss counts towards the server's
// most-missed questions. A repeated report changes neither.
import type { GradedAnswer, GradedAnswerListener } from '../quiz/graded.js';
import type { CardStore } from './card-store.js';
import type { MissedCounter } from './missed.js';

export class StudyListener implements GradedAnswerListener {
  constructor(
    private readonly cards: CardStore,
    private readonly missed: MissedCounter,
  ) {}

  async answerGraded(answer: GradedAnswer): Promise<void> {
    // An event answer whose question could not be named (it cannot happen today) has no card.
    if (answer.question.fingerprint === '') return;
    const { fresh } = await this.cards.apply(answer);
    // After the card, so that a repeat (which the card recognises) is not counted twice.
    if (fresh && answer.first && !answer.correct) {
      await this.missed.add(answer.guildId, answer.question, answer.at);
    }
  }
}
