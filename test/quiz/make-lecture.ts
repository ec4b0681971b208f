// Builds Lecture objects for unit tests without going through the parser.
import type { Answer, Lecture, Question } from '../../src/content/types.js';

export function makeQuestion(text: string, answers: (string | Answer)[], correctIndex: number): Question {
  return {
    text,
    answers: answers.map((answer) =>
      typeof answer === 'string' ? { text: answer, feedback: null } : answer,
    ),
    correctIndex,
    line: 1,
  };
}

export function makeLecture(overrides: Partial<Lecture> & { id: string }): Lecture {
  return {
    path: `${overrides.id}.md`,
    title: `Lecture ${overrides.id}`,
    challengeType: 19,
    dashedName: null,
    summary: 'A short summary.',
    fullText: 'A short summary.',
    questions: [makeQuestion('What is 1 + 1?', ['1', '2', '3'], 1)],
    quizzes: [],
    ...overrides,
  };
}

/** A string of exactly `length` characters made of words, for limit tests. */
export function words(length: number, word = 'lorem'): string {
  return `${word} `.repeat(Math.ceil(length / (word.length + 1))).slice(0, length);
}
