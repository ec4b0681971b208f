// Review cards in the store: one record per server, member and question version, under
// `card:{guild}:{user}:{questionKey}` (src/store/keys.ts). A member's cards are one key range, read
// with one indexed query; nothing here ever reads another member's cards.
import type { QuestionRef } from '../quiz/answer.js';
import { questionKey } from '../quiz/answer.js';
import type { GradedAnswer } from '../quiz/graded.js';
import { KeyedLock } from '../store/keyed-lock.js';
import { cardKey, memberCardPrefix } from '../store/keys.js';
import type { RecordStore } from '../store/records.js';
import { alreadyApplied, answerTag, applyAnswer, decodeCard, encodeCard } from './card.js';
import type { ReviewCard } from './card.js';
import { parseQuestionKey } from './questions.js';

export interface MemberCard {
  ref: QuestionRef;
  card: ReviewCard;
}

export interface AppliedAnswer {
  card: ReviewCard;
  /** False when the answer had been applied already (a repeated report): the card is as it was. */
  fresh: boolean;
}

export class CardStore {
  /** One answer at a time per card: two reports for one question never interleave read and write. */
  private readonly lock = new KeyedLock();

  constructor(private readonly records: RecordStore) {}

  /** Every card of the member in this server: one range read. Unreadable records are left out. */
  async memberCards(guildId: string, userId: string): Promise<MemberCard[]> {
    const rows = await this.records.getByPrefix<unknown>(memberCardPrefix(guildId, userId), {
      numbersOnly: true,
    });
    const cards: MemberCard[] = [];
    for (const row of rows) {
      const ref = parseQuestionKey(row.suffix);
      const card = ref === null ? undefined : decodeCard(row.value);
      if (ref !== null && card !== undefined) cards.push({ ref, card });
    }
    return cards;
  }

  /** The member's cards for `refs`, in order (undefined where none): one read. */
  async cardsFor(
    guildId: string,
    userId: string,
    refs: readonly QuestionRef[],
  ): Promise<(ReviewCard | undefined)[]> {
    if (refs.length === 0) return [];
    const values = await this.records.getMany<unknown[]>(
      refs.map((ref) => cardKey(guildId, userId, questionKey(ref))),
    );
    return values.map((value) => decodeCard(value));
  }

  /**
   * Moves the card of the answered question; resolves once the card is on disk. An answer whose id
   * the card already holds changes nothing.
   */
  async apply(answer: GradedAnswer): Promise<AppliedAnswer> {
    const key = cardKey(answer.guildId, answer.userId, questionKey(answer.question));
    const id = answerIdOf(answer);
    const tag = id === null ? null : answerTag(id);
    return this.lock.run(key, async () => {
      const [stored] = await this.records.getMany<[unknown]>([key]);
      const before = decodeCard(stored);
      if (before !== undefined && alreadyApplied(before, tag)) return { card: before, fresh: false };
      const card = applyAnswer(before, answer.correct, answer.at, tag);
      await this.records.setAtomically([{ key, value: encodeCard(card) }]);
      return { card, fresh: true };
    });
  }
}

/**
 * What tells one answer from a repeat of it: its own id (practice and review steps), else for an
 * event the occurrence (a member answers each of its questions once). A click on a posted quiz is
 * reported once, so it needs none.
 */
export function answerIdOf(answer: GradedAnswer): string | null {
  if (answer.answerId !== undefined) return answer.answerId;
  if (answer.event !== undefined) return `event:${answer.event.id}:${answer.event.occurrence}`;
  return null;
}
