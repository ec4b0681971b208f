// A member's review card for one question version, and how each graded answer moves it: FSRS
// (ts-fsrs, the scheduler Anki adopted) decides the interval after a right answer; a missed question
// is due at once, so "review my mistakes" works right after a quiz. Pure: the caller passes the time.
import { Rating, State, createEmptyCard, fsrs, generatorParameters } from 'ts-fsrs';
import type { Card } from 'ts-fsrs';

/**
 * A member's card for one question version (the question is in its store key). The fields are
 * ts-fsrs's card, with times as epoch milliseconds; stored as `StoredCard`.
 */
export interface ReviewCard {
  /** When the question is due for review again. */
  due: number;
  stability: number;
  difficulty: number;
  scheduledDays: number;
  learningSteps: number;
  /** How many answers moved the card. */
  reps: number;
  /** How many of them were misses after a right answer (FSRS's lapses). */
  lapses: number;
  /** ts-fsrs State: 0 new, 1 learning, 2 review, 3 relearning. */
  state: number;
  /** When the latest answer was applied. */
  lastReview: number;
  /** Whether the latest answer was right. */
  lastCorrect: boolean;
  /**
   * Tags (see `answerTag`) of the latest answers that carried an id, newest last: a report of one
   * of them again (a retried event step, a retried click) changes nothing.
   */
  applied: number[];
}

/** How many answer tags a card remembers: repeats arrive right after the answer they repeat. */
export const REMEMBERED_ANSWERS = 4;

/**
 * FSRS with its published default weights, no fuzz (the same answers give the same schedule, which
 * members can reason about), and without same-day learning steps: intervals are whole days, so a
 * right answer always pushes the question out by days. Misses are handled below.
 */
const scheduler = fsrs(generatorParameters({ enable_short_term: false, enable_fuzz: false }));

/**
 * The card after one graded answer at `at`. Right: rated Good, due when FSRS says. Missed: rated
 * Again (FSRS lowers its stability and counts the lapse) and due at once. An answer older than the
 * card's last one (an event's answers reach the card when the event ends) counts as given then.
 */
export function applyAnswer(
  card: ReviewCard | undefined,
  correct: boolean,
  at: number,
  tag: number | null = null,
): ReviewCard {
  const when = card === undefined ? at : Math.max(at, card.lastReview);
  const before = card === undefined ? createEmptyCard(new Date(when)) : toFsrs(card);
  const { card: after } = scheduler.next(before, new Date(when), correct ? Rating.Good : Rating.Again);
  const applied = tag === null ? (card?.applied ?? []) : [...(card?.applied ?? []), tag];
  return {
    due: correct ? after.due.getTime() : when,
    stability: after.stability,
    difficulty: after.difficulty,
    scheduledDays: after.scheduled_days,
    learningSteps: after.learning_steps,
    reps: after.reps,
    lapses: after.lapses,
    state: after.state,
    lastReview: when,
    lastCorrect: correct,
    applied: applied.slice(-REMEMBERED_ANSWERS),
  };
}

/** True when the answer with this tag was already applied to the card. */
export function alreadyApplied(card: ReviewCard | undefined, tag: number | null): boolean {
  return tag !== null && card !== undefined && card.applied.includes(tag);
}

export function isDue(card: ReviewCard, now: number): boolean {
  return card.due <= now;
}

/**
 * A 32-bit FNV-1a hash of an answer's id, kept on the card as a number so cards stay numbers only
 * (fast to read by the thousand). Two of a card's last four answers sharing a hash would only make
 * one of them count as a repeat.
 */
export function answerTag(answerId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < answerId.length; i++) {
    hash ^= answerId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The stored form's version: the first number of every stored card. */
const CARD_FORMAT = 1;
/** Numbers before the answer tags in the stored form. */
const CARD_FIELDS = 11;

/**
 * A card as stored: one flat array of numbers, `[format, due, stability, difficulty, scheduledDays,
 * learningSteps, reps, lapses, state, lastReview, lastCorrect (1 or 0), ...applied]`. A third the
 * size of the object, so the 5,000 cards of a keen member read and parse in a few milliseconds.
 */
export type StoredCard = number[];

export function encodeCard(card: ReviewCard): StoredCard {
  return [
    CARD_FORMAT,
    card.due,
    card.stability,
    card.difficulty,
    card.scheduledDays,
    card.learningSteps,
    card.reps,
    card.lapses,
    card.state,
    card.lastReview,
    card.lastCorrect ? 1 : 0,
    ...card.applied,
  ];
}

/** A stored value read back as a card, or undefined when it is not one (another format, damaged). */
export function decodeCard(stored: unknown): ReviewCard | undefined {
  if (!Array.isArray(stored) || stored.length < CARD_FIELDS || stored[0] !== CARD_FORMAT) return undefined;
  const numbers: number[] = [];
  for (const item of stored) {
    if (typeof item !== 'number' || !Number.isFinite(item)) return undefined;
    numbers.push(item);
  }
  const [
    ,
    due,
    stability,
    difficulty,
    scheduledDays,
    learningSteps,
    reps,
    lapses,
    state,
    lastReview,
    correct,
  ] = numbers;
  if (
    due === undefined ||
    stability === undefined ||
    difficulty === undefined ||
    scheduledDays === undefined ||
    learningSteps === undefined ||
    reps === undefined ||
    lapses === undefined ||
    state === undefined ||
    lastReview === undefined ||
    correct === undefined
  )
    return undefined;
  return {
    due,
    stability,
    difficulty,
    scheduledDays,
    learningSteps,
    reps,
    lapses,
    state,
    lastReview,
    lastCorrect: correct === 1,
    applied: numbers.slice(CARD_FIELDS),
  };
}

function toFsrs(card: ReviewCard): Card {
  return {
    due: new Date(card.due),
    stability: card.stability,
    difficulty: card.difficulty,
    // Deprecated in ts-fsrs 5 and recomputed from last_review; kept for its type.
    elapsed_days: 0,
    scheduled_days: card.scheduledDays,
    learning_steps: card.learningSteps,
    reps: card.reps,
    lapses: card.lapses,
    state: STATES.get(card.state) ?? State.Review,
    last_review: new Date(card.lastReview),
  };
}

/** Stored states back to ts-fsrs's enum; a number it does not know reads as Review. */
const STATES = new Map<number, State>(
  [State.New, State.Learning, State.Review, State.Relearning].map((state) => [Number(state), state]),
);
