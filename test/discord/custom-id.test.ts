import { describe, expect, it } from 'vitest';
import {
  CUSTOM_ID_MAX_LENGTH,
  MAX_LIST_SEARCH_LENGTH,
  buildCustomId,
  customIdPrefix,
  parseCustomId,
} from '../../src/discord/custom-id.js';
import type { QuizCustomId } from '../../src/discord/custom-id.js';

const longestId = 'x'.repeat(64);

describe('custom_id module', () => {
  const cases: QuizCustomId[] = [
    { kind: 'answer', lectureId: 'abc123', set: 0, question: 2, answer: 3, fingerprint: 'AbC-_123' },
    { kind: 'answer', lectureId: longestId, set: 99, question: 999, answer: 24, fingerprint: 'AbC-_123' },
    { kind: 'lecture-open', lectureId: longestId },
    { kind: 'lecture-page', lectureId: longestId, page: 12 },
    { kind: 'list-page', page: 3, search: 'css | grid' },
    { kind: 'list-page', page: 0, search: '' },
    { kind: 'leaderboard-page', page: 7 },
    { kind: 'event-answer', eventId: 'A1B2C3', occurrence: 1, question: 0, answer: 2 },
    { kind: 'event-answer', eventId: 'ZZZZZZ', occurrence: 999999, question: 99, answer: 24 },
    {
      kind: 'practice-answer',
      lectureId: longestId,
      session: 'ABCDEFGH',
      position: 999999,
      answer: 24,
    },
    { kind: 'practice-next', lectureId: longestId, session: '0123ZZZZ', position: 3 },
    { kind: 'practice-continue', lectureId: longestId, session: 'ABCDEFGH' },
    { kind: 'practice-restart', lectureId: longestId, set: 99, session: 'ABCDEFGH' },
    { kind: 'review-answer', session: 'ABCDEFGH', position: 19, answer: 3 },
    { kind: 'review-next', session: 'ABCDEFGH', position: 0 },
    { kind: 'review-start' },
    { kind: 'library-page', page: 4 },
  ];

  it.each(cases)('GIVEN $kind data THEN it round-trips within 100 characters', (data) => {
    const id = buildCustomId(data);
    expect(id.length).toBeLessThanOrEqual(CUSTOM_ID_MAX_LENGTH);
    expect(id.startsWith('q1|')).toBe(true);
    expect(parseCustomId(id)).toEqual(data);
  });

  it('GIVEN the longest list search that fits THEN it builds; one more character THEN it throws', () => {
    const search = 's'.repeat(MAX_LIST_SEARCH_LENGTH);
    expect(buildCustomId({ kind: 'list-page', page: 999999, search })).toHaveLength(CUSTOM_ID_MAX_LENGTH);
    expect(() => buildCustomId({ kind: 'list-page', page: 999999, search: `${search}s` })).toThrow();
  });

  it('GIVEN a lecture id with a separator THEN building throws instead of producing an ambiguous id', () => {
    expect(() => buildCustomId({ kind: 'lecture-page', lectureId: 'a|b', page: 0 })).toThrow();
  });

  it.each([
    '',
    'q1',
    'q1|',
    'q1|a|abc|0|0|0',
    'q1|a|abc|0|0|0|fp|extra',
    'q1|a|abc|-1|0|0|fp',
    'q1|a|abc|01|0|0|fp',
    'q1|a|abc|0|0|x|fp',
    'q1|a|a b|0|0|0|fp',
    'q1|r|abc',
    'q1|o|abc|1',
    'q1|b|1|2',
    'q1|z|1',
    'q1|e|A1B2C3|1|0',
    'q1|e|A1B2C3|1|0|2|extra',
    'q1|e|a1b2c3|1|0|2',
    'q1|e|A1B2CI|1|0|2',
    'q1|e|A1B2C|1|0|2',
    'q1|e|A1B2C3|x|0|2',
    'q2|b|1',
    'other|thing',
    `q1|l|0|${'s'.repeat(120)}`,
    'q1|pa|abc|ABCDEFGH|0',
    'q1|pa|abc|abcdefgh|0|1',
    'q1|pa|abc|ABCDEFG|0|1',
    'q1|pn|abc|ABCDEFGH|0|1',
    'q1|pc|abc',
    'q1|ps|abc|ABCDEFGH',
    'q1|ra|ABCDEFGI|0|1',
    'q1|rn|ABCDEFGH',
    'q1|rs|1',
  ])('GIVEN the malformed or foreign id %j THEN parse returns null', (id) => {
    expect(parseCustomId(id)).toBeNull();
  });

  it('GIVEN an event answer THEN its id is short and in the documented shape', () => {
    expect(
      buildCustomId({ kind: 'event-answer', eventId: 'K7Q2MX', occurrence: 3, question: 4, answer: 1 }),
    ).toBe('q1|e|K7Q2MX|3|4|1');
  });

  it('GIVEN a review answer THEN its id is short and in the documented shape', () => {
    expect(buildCustomId({ kind: 'review-answer', session: 'K7Q2MXAB', position: 4, answer: 1 })).toBe(
      'q1|ra|K7Q2MXAB|4|1',
    );
  });

  it('GIVEN any id THEN the router prefix is the text before the first separator', () => {
    expect(customIdPrefix('q1|b|0')).toBe('q1');
    expect(customIdPrefix('event|x')).toBe('event');
    expect(customIdPrefix('plain')).toBe('plain');
  });
});
