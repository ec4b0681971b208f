import { describe, expect, it } from 'vitest';
import type { RecordedAnswer } from '../../src/events/model.js';
import { standings } from '../../src/events/standings.js';

describe('standings', () => {
  const answer = (choice: number, ms: number): RecordedAnswer => ({ choice, at: 0, ms });
  const correct = [1, 0, 3];
  /** How long each question was open: what a skipped question costs. */
  const QUESTION_MS = 5_000;

  it('GIVEN different scores THEN most correct first, ties broken by total time, then by user id', () => {
    const byQuestion: Record<string, RecordedAnswer>[] = [
      { alice: answer(1, 3_000), bob: answer(1, 1_000), carol: answer(0, 500), dave: answer(1, 2_000) },
      { alice: answer(0, 1_000), bob: answer(1, 1_000), carol: answer(0, 500), dave: answer(0, 2_000) },
      { alice: answer(3, 1_000), bob: answer(3, 1_000), carol: answer(3, 500) },
    ];
    expect(standings(byQuestion, correct, QUESTION_MS)).toEqual([
      { rank: 1, userId: 'alice', correct: 3, answered: 3, totalMs: 5_000 },
      { rank: 2, userId: 'carol', correct: 2, answered: 3, totalMs: 1_500 },
      { rank: 3, userId: 'bob', correct: 2, answered: 3, totalMs: 3_000 },
      { rank: 4, userId: 'dave', correct: 2, answered: 2, totalMs: 4_000 + QUESTION_MS },
    ]);
  });

  it('GIVEN the same correct count THEN a member who skipped a question ranks below one who answered everything', () => {
    // Both have 2 right. frank answered only those two (2 s); erin also answered the one she got
    // wrong (3 s in all). Skipping costs frank Q2's full 5 s, so erin ranks first.
    const byQuestion: Record<string, RecordedAnswer>[] = [
      { erin: answer(1, 1_000), frank: answer(1, 1_000) },
      { erin: answer(1, 1_000) },
      { erin: answer(3, 1_000), frank: answer(3, 1_000) },
    ];
    expect(standings(byQuestion, correct, QUESTION_MS)).toEqual([
      { rank: 1, userId: 'erin', correct: 2, answered: 3, totalMs: 3_000 },
      { rank: 2, userId: 'frank', correct: 2, answered: 2, totalMs: 2_000 + QUESTION_MS },
    ]);
  });

  it('GIVEN exactly equal score and time THEN they share a rank, listed by user id', () => {
    const byQuestion = [{ zed: answer(1, 700), amy: answer(1, 700), kim: answer(0, 100) }];
    expect(standings(byQuestion, correct, QUESTION_MS).map((row) => [row.rank, row.userId])).toEqual([
      [1, 'amy'],
      [1, 'zed'],
      [3, 'kim'],
    ]);
  });

  it('GIVEN a limit THEN only the top rows; a question nobody answered costs everyone the same', () => {
    const byQuestion = [
      Object.fromEntries(
        Array.from({ length: 15 }, (_, i) => [`user${String(i).padStart(2, '0')}`, answer(1, 100 * i)]),
      ),
      undefined,
    ];
    const top = standings(byQuestion, correct, QUESTION_MS, 10);
    expect(top).toHaveLength(10);
    expect(top[0]).toEqual({ rank: 1, userId: 'user00', correct: 1, answered: 1, totalMs: QUESTION_MS });
    expect(top[9]?.userId).toBe('user09');
  });

  it('GIVEN no answers THEN empty standings', () => {
    expect(standings([undefined, {}], correct, QUESTION_MS)).toEqual([]);
  });
});
