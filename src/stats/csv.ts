// The export for teachers: one row per first answer, as RFC 4180 CSV that spreadsheets open as is.
// Pure.
import { answerLetter } from '../content/present.js';
import type { Lecture } from '../content/types.js';
import type { MemberLectureRecord, OccurrenceMemberRecord } from './model.js';
import { questionLabel, versionLabel } from './report.js';
import type { Member } from './store.js';

export const CSV_HEADER = [
  'member id',
  'member name',
  'lecture',
  'question',
  'first choice',
  'right',
  'answered at',
] as const;

type Row = [string, string, string, string, string, string, string];

/** Every member's first answers to the lecture, member by member, in answer order. */
export function lectureRows(
  lecture: Lecture | undefined,
  lectureId: string,
  members: readonly Member<MemberLectureRecord>[],
): Row[] {
  return members.flatMap(({ userId, record }) =>
    Object.entries(record.answers)
      .sort(([, a], [, b]) => a.at - b.at)
      .map(([version, answer]): Row => [
        userId,
        record.name,
        lectureId,
        versionLabel(lecture, version),
        answerLetter(answer.choice),
        answer.right ? 'yes' : 'no',
        new Date(answer.at).toISOString(),
      ]),
  );
}

/** Every member's answers in one event occurrence. */
export function occurrenceRows(
  lecture: Lecture | undefined,
  lectureId: string,
  set: number,
  members: readonly Member<OccurrenceMemberRecord>[],
): Row[] {
  return members.flatMap(({ userId, record }) =>
    Object.entries(record.answers)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([slot, answer]): Row => [
        userId,
        record.name,
        lectureId,
        questionLabel(lecture, set, Number(slot)),
        answerLetter(answer.choice),
        answer.right ? 'yes' : 'no',
        new Date(answer.at).toISOString(),
      ]),
  );
}

/** CSV with CRLF line ends and a byte-order mark, so spreadsheets read names in any script. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  const lines = [CSV_HEADER, ...rows].map((row) => row.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * Quoted when it holds a comma, quote or line break. A member name like `=HYPERLINK(...)` would be
 * run as a formula by spreadsheets: such cells get a leading apostrophe, as OWASP advises.
 */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
