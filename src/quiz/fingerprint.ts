// A short fingerprint of a question as it was posted. Buttons carry it, so a click on a question
// whose text, answers or solution changed since is recognised instead of being graded wrongly.
import { createHash } from 'node:crypto';
import type { Question } from '../content/types.js';

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
