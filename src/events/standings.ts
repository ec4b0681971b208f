// The standings at the end of a quiz event: most right answers first, then the fastest. Pure.
import type { RecordedAnswer } from './model.js';

export const STANDINGS_SHOWN = 10;

export interface Standing {
  /** 1-based; members with the same correct count and total time share a rank. */
  rank: number;
  userId: string;
  correct: number;
  answered: number;
  /**
   * Ms from each question opening to the member's answer, summed over every question asked; a
   * question the member did not answer counts its full duration, so skipping never saves time.
   */
  totalMs: number;
}

/**
 * Everyone who answered at least once, best first: most correct, then least total answer time,
 * then user id so the order never depends on storage order. `questionMs` is how long each question
 * was open: what an unanswered question costs.
 */
export function standings(
  answersByQuestion: readonly (Readonly<Record<string, RecordedAnswer>> | undefined)[],
  correctIndexes: readonly number[],
  questionMs: number,
  limit?: number,
): Standing[] {
  const byUser = new Map<string, Omit<Standing, 'rank'>>();
  answersByQuestion.forEach((answers, questionIndex) => {
    for (const [userId, answer] of Object.entries(answers ?? {})) {
      const row = byUser.get(userId) ?? { userId, correct: 0, answered: 0, totalMs: 0 };
      row.answered += 1;
      row.totalMs += answer.ms;
      if (answer.choice === correctIndexes[questionIndex]) row.correct += 1;
      byUser.set(userId, row);
    }
  });
  const asked = answersByQuestion.length;
  for (const row of byUser.values()) row.totalMs += (asked - row.answered) * questionMs;
  const ranked = rankRows([...byUser.values()]);
  return limit === undefined ? ranked : ranked.slice(0, limit);
}

/**
 * Members' totals in standings order with their ranks: most correct, then least total time
 * (unanswered questions already counted in), then user id. Shared with the results for teachers.
 */
export function rankRows(rows: readonly Omit<Standing, 'rank'>[]): Standing[] {
  const sorted = [...rows].sort(
    (a, b) =>
      b.correct - a.correct ||
      a.totalMs - b.totalMs ||
      (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
  );
  const ranked: Standing[] = [];
  sorted.forEach((row, index) => {
    const previous = ranked[index - 1];
    const tied =
      previous !== undefined && previous.correct === row.correct && previous.totalMs === row.totalMs;
    ranked.push({ ...row, rank: tied ? previous.rank : index + 1 });
  });
  return ranked;
}
