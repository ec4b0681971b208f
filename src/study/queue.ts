// Which of a member's questions are due for review, most overdue first, and when the rest come
// back. Only cards whose question still exists as it was count: an edited question (a new
// fingerprint) or a removed lecture leaves the queue quietly. Pure.
import type { MemberCard } from './card-store.js';
import type { LectureLookup } from './questions.js';
import { isCurrent } from './questions.js';

/** A review session asks at most this many questions. */
export const MAX_REVIEW_QUESTIONS = 20;

export interface ReviewQueue {
  /** Due now, most overdue first. */
  due: MemberCard[];
  /** Current cards not due yet. */
  scheduled: number;
  /** When the earliest of those is due; null when there is none. */
  nextDueAt: number | null;
}

export function reviewQueue(cards: readonly MemberCard[], catalog: LectureLookup, now: number): ReviewQueue {
  const due: MemberCard[] = [];
  let scheduled = 0;
  let nextDueAt: number | null = null;
  for (const entry of cards) {
    if (!isCurrent(catalog, entry.ref)) continue;
    if (entry.card.due <= now) {
      due.push(entry);
    } else {
      scheduled += 1;
      if (nextDueAt === null || entry.card.due < nextDueAt) nextDueAt = entry.card.due;
    }
  }
  due.sort((a, b) => a.card.due - b.card.due || a.card.lastReview - b.card.lastReview);
  return { due, scheduled, nextDueAt };
}
