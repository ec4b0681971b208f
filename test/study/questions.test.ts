import { describe, expect, it } from 'vitest';
import { questionKey } from '../../src/quiz/answer.js';
import { Catalog } from '../../src/quiz/catalog.js';
import { questionFingerprint } from '../../src/quiz/fingerprint.js';
import { currentQuestion, parseQuestionKey, setRefs } from '../../src/study/questions.js';
import { makeLecture, makeQuestion } from '../quiz/make-lecture.js';

describe('parseQuestionKey', () => {
  it.each([
    { lectureId: 'shell-basics', set: 0, question: 1, fingerprint: 'AbC-_123' },
    { lectureId: 'odd:id:with:colons', set: 12, question: 0, fingerprint: 'zzzzzzzz' },
  ])('GIVEN questionKey($lectureId) THEN it reads back the same ref', (ref) => {
    expect(parseQuestionKey(questionKey(ref))).toEqual(ref);
  });

  it.each(['', 'a:0:0', 'a::0:fp', 'a:0:x:fp', ':0:0:fp', 'a:0:0:', 'a:01:0:fp'])(
    'GIVEN %j THEN null',
    (key) => {
      expect(parseQuestionKey(key)).toBeNull();
    },
  );
});

describe('currentQuestion', () => {
  const question = makeQuestion('Q?', ['a', 'b'], 1);
  const catalog = new Catalog([makeLecture({ id: 'l', questions: [question] })]);
  const ref = { lectureId: 'l', set: 0, question: 0, fingerprint: questionFingerprint(question) };

  it('GIVEN the question as it was THEN found; changed, removed or out of range THEN undefined', () => {
    expect(currentQuestion(catalog, ref)).toBe(question);
    expect(currentQuestion(catalog, { ...ref, fingerprint: 'AAAAAAAA' })).toBeUndefined();
    expect(currentQuestion(catalog, { ...ref, lectureId: 'gone' })).toBeUndefined();
    expect(currentQuestion(catalog, { ...ref, question: 1 })).toBeUndefined();
    expect(setRefs(catalog.get('l')!, 0)).toEqual([ref]);
  });
});
