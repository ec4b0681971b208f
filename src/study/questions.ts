// Question versions as the study feature names them: by QuestionRef (lecture, set, index,
// fingerprint), stored under questionKey(ref). A ref whose lecture is gone or whose question changed
// no longer resolves, and so leaves the member's queue quietly. Pure.
import type { Lecture, Question } from '../content/types.js';
import type { QuestionRef } from '../quiz/answer.js';
import type { Catalog } from '../quiz/catalog.js';
import { questionAt, questionSets } from '../quiz/catalog.js';
import { lectureFingerprints, questionFingerprint } from '../quiz/fingerprint.js';

export type LectureLookup = Pick<Catalog, 'get'>;

/** The question `ref` names as the lectures are now, or undefined when it is gone or changed. */
export function currentQuestion(catalog: LectureLookup, ref: QuestionRef): Question | undefined {
  const lecture = catalog.get(ref.lectureId);
  const question = lecture ? questionAt(lecture, ref.set, ref.question) : undefined;
  return question && questionFingerprint(question) === ref.fingerprint ? question : undefined;
}

/**
 * Whether `ref` still names a question as the lectures are now: currentQuestion without reading the
 * question itself, so a queue of thousands of cards does not load every lecture's questions each time.
 */
export function isCurrent(catalog: LectureLookup, ref: QuestionRef): boolean {
  const lecture = catalog.get(ref.lectureId);
  return lecture !== undefined && lectureFingerprints(lecture)[ref.set]?.[ref.question] === ref.fingerprint;
}

/**
 * The ref a questionKey (src/quiz/answer.ts: `lecture:set:question:fingerprint`) was made from, or
 * null. Read from the right: a fingerprint never holds ':', a lecture id might.
 */
export function parseQuestionKey(key: string): QuestionRef | null {
  // lastIndexOf rather than split: /quiz review reads thousands of keys at a time.
  const fingerprintAt = key.lastIndexOf(':');
  const questionAt = key.lastIndexOf(':', fingerprintAt - 1);
  const setAt = key.lastIndexOf(':', questionAt - 1);
  if (setAt < 1) return null;
  const fingerprint = key.slice(fingerprintAt + 1);
  const question = key.slice(questionAt + 1, fingerprintAt);
  const set = key.slice(setAt + 1, questionAt);
  if (fingerprint === '' || !isIndex(set) || !isIndex(question)) return null;
  return { lectureId: key.slice(0, setAt), set: Number(set), question: Number(question), fingerprint };
}

/** The refs of one question set of a lecture, in source order. */
export function setRefs(lecture: Lecture, set: number): QuestionRef[] {
  return (questionSets(lecture)[set] ?? []).map((question, index) => ({
    lectureId: lecture.id,
    set,
    question: index,
    fingerprint: questionFingerprint(question),
  }));
}

/** Every question of a lecture, all its sets, with its current ref. */
export function lectureQuestions(lecture: Lecture): { ref: QuestionRef; question: Question }[] {
  return questionSets(lecture).flatMap((questions, set) =>
    questions.map((question, index) => ({
      ref: { lectureId: lecture.id, set, question: index, fingerprint: questionFingerprint(question) },
      question,
    })),
  );
}

const INDEX = /^(0|[1-9]\d*)$/;

function isIndex(value: string): boolean {
  return INDEX.test(value);
}
