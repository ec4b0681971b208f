// A short fingerprint of a question as it was posted. Buttons carry it, so a click on a question
// whose text, answers or solution changed since is recognised instead of being graded wrongly.
import { createHash } from 'node:crypto';
import type { Lecture, Question } from '../content/types.js';
import { questionSets } from './catalog.js';

export const FINGERPRINT_LENGTH = 8;

/** Questions are immutable once loaded, so each is hashed once, not on every click. */
const computed = new WeakMap<Question, string>();

/** 8 base64url characters (48 bits): plenty to tell the versions of one question apart. */
export function questionFingerprint(question: Question): string {
  const known = computed.get(question);
  if (known !== undefined) return known;
  const canonical = JSON.stringify([
    question.text,
    question.answers.map((answer) => answer.text),
    question.correctIndex,
  ]);
  const fingerprint = createHash('sha256').update(canonical).digest('base64url').slice(0, FINGERPRINT_LENGTH);
  computed.set(question, fingerprint);
  return fingerprint;
}

/**
 * Every question's fingerprint, per set (as `questionSets` orders them), kept per lecture object.
 * A lecture from the content cache reads its questions from disk on demand and may drop them again;
 * this table outlives that, so checking many members' cards against a lecture reads it once.
 */
const byLecture = new WeakMap<Lecture, readonly (readonly string[])[]>();

export function lectureFingerprints(lecture: Lecture): readonly (readonly string[])[] {
  const known = byLecture.get(lecture);
  if (known !== undefined) return known;
  const fingerprints = questionSets(lecture).map((questions) => questions.map(questionFingerprint));
  byLecture.set(lecture, fingerprints);
  return fingerprints;
}
