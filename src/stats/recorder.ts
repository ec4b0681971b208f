// Keeps the results for teachers up to date as answers are graded: a GradedAnswerListener that
// counts first answers only (a posted quiz's first click, a quiz event's answers) into per-lecture
// and per-occurrence counters, with one record per member that marks what was counted.
//
// Group commit: answers queue while a write is under way, and the next write carries all of them,
// so a crowd answering at once costs a few statements, not one per click. One writer (this object,
// one at a time) means counters are read and written back without lost updates; a repeated report
// of an answer finds its marker and counts nothing.
import type { GradedAnswer, GradedAnswerListener } from '../quiz/graded.js';
import type { KeyValue, StoreTable } from '../store/index.js';
import {
  statsEventIndexKey,
  statsEventKey,
  statsEventMemberKey,
  statsLectureKey,
  statsMemberKey,
} from '../store/keys.js';
import type {
  EventIndex,
  LectureStats,
  MemberLectureRecord,
  OccurrenceMemberRecord,
  OccurrenceStats,
} from './model.js';
import { EVENT_INDEX_SIZE, count, emptyCounts, emptyLectureStats, versionKey } from './model.js';

/** Answers one write carries at most (each touches up to five keys). */
export const MAX_BATCH = 300;

interface Pending {
  answer: GradedAnswer;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class StatsRecorder implements GradedAnswerListener {
  private queue: Pending[] = [];
  private running = false;

  constructor(private readonly table: StoreTable) {}

  /** Resolves once the answer is counted (or found counted already) on disk. */
  answerGraded(answer: GradedAnswer): Promise<void> {
    if (!answer.first || (answer.source !== 'quiz' && answer.source !== 'event')) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ answer, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      // Let the answers of this event-loop turn join the first write.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.write(batch.map((pending) => pending.answer));
          for (const pending of batch) pending.resolve();
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Reads every record the batch touches (one statement: reads of a turn share one), applies it, writes it back in one. */
  private async write(answers: readonly GradedAnswer[]): Promise<void> {
    const records = await Records.read(this.table, answers);
    for (const answer of answers) {
      applyToLecture(records, answer);
      applyToOccurrence(records, answer);
    }
    await this.table.setAtomically(records.changes());
  }
}

/** The records a batch touches, by kind, and which of them it changed. */
class Records {
  private readonly changed = new Set<string>();

  private constructor(
    readonly lectures: Map<string, LectureStats>,
    readonly members: Map<string, MemberLectureRecord>,
    readonly occurrences: Map<string, OccurrenceStats>,
    readonly occurrenceMembers: Map<string, OccurrenceMemberRecord>,
    readonly indexes: Map<string, EventIndex>,
  ) {}

  static async read(table: StoreTable, answers: readonly GradedAnswer[]): Promise<Records> {
    const events = answers.flatMap((answer) => (answer.event ? [{ answer, event: answer.event }] : []));
    const distinct = (keys: string[]): string[] => [...new Set(keys)];
    const load = async <T>(keys: string[]): Promise<Map<string, T>> => {
      const values = await table.getMany<T[]>(keys);
      const found = new Map<string, T>();
      keys.forEach((key, index) => {
        const value = values[index];
        if (value !== undefined) found.set(key, value);
      });
      return found;
    };
    const [lectures, members, occurrences, occurrenceMembers, indexes] = await Promise.all([
      load<LectureStats>(distinct(answers.map((a) => statsLectureKey(a.guildId, a.question.lectureId)))),
      load<MemberLectureRecord>(
        distinct(answers.map((a) => statsMemberKey(a.guildId, a.question.lectureId, a.userId))),
      ),
      load<OccurrenceStats>(
        distinct(
          events.map(({ answer, event }) => statsEventKey(answer.guildId, event.id, event.occurrence)),
        ),
      ),
      load<OccurrenceMemberRecord>(
        distinct(
          events.map(({ answer, event }) =>
            statsEventMemberKey(answer.guildId, event.id, event.occurrence, answer.userId),
          ),
        ),
      ),
      load<EventIndex>(distinct(events.map(({ answer }) => statsEventIndexKey(answer.guildId)))),
    ]);
    return new Records(lectures, members, occurrences, occurrenceMembers, indexes);
  }

  touch(...keys: string[]): void {
    for (const key of keys) this.changed.add(key);
  }

  changes(): KeyValue[] {
    const all = [this.lectures, this.members, this.occurrences, this.occurrenceMembers, this.indexes];
    return [...this.changed].map((key) => ({ key, value: all.find((map) => map.has(key))?.get(key) }));
  }
}

/** A member's first answer to a question version counts once for the lecture, however it came. */
function applyToLecture(records: Records, answer: GradedAnswer): void {
  const { guildId, userId, question } = answer;
  const lectureKey = statsLectureKey(guildId, question.lectureId);
  const memberKey = statsMemberKey(guildId, question.lectureId, userId);
  const version = versionKey(question);
  const known = records.members.get(memberKey);
  if (known !== undefined && Object.hasOwn(known.answers, version)) return;
  const member = known ?? { name: answer.userName ?? userId, right: 0, answers: {} };
  if (answer.userName !== undefined) member.name = answer.userName;
  const stats = records.lectures.get(lectureKey) ?? emptyLectureStats();
  member.answers[version] = [
    answer.choice,
    answer.correct ? 1 : 0,
    answer.at,
    answer.source === 'event' ? 1 : 0,
  ];
  if (answer.correct) member.right += 1;
  if (known === undefined) stats.participants += 1;
  stats.answers += 1;
  if (answer.correct) stats.right += 1;
  const counts = (stats.questions[version] ??= emptyCounts());
  count(counts, answer.choice, answer.correct);
  records.members.set(memberKey, member);
  records.lectures.set(lectureKey, stats);
  records.touch(memberKey, lectureKey);
}

/** An event answer also counts for its occurrence, once per member and question. */
function applyToOccurrence(records: Records, answer: GradedAnswer): void {
  const { guildId, userId, question, event } = answer;
  if (event === undefined) return;
  const occurrenceKey = statsEventKey(guildId, event.id, event.occurrence);
  const memberKey = statsEventMemberKey(guildId, event.id, event.occurrence, userId);
  const indexKey = statsEventIndexKey(guildId);
  // The place in the event, not in the lecture: a review night's questions come from several lectures.
  const slot = String(event.question ?? question.question);
  const known = records.occurrenceMembers.get(memberKey);
  if (known !== undefined && Object.hasOwn(known.answers, slot)) return;
  const member = known ?? { name: answer.userName ?? userId, right: 0, answered: 0, ms: 0, answers: {} };
  if (answer.userName !== undefined) member.name = answer.userName;
  const ms = event.ms ?? 0;
  member.answers[slot] = { choice: answer.choice, right: answer.correct, at: answer.at, ms };
  member.answered += 1;
  member.ms += ms;
  if (answer.correct) member.right += 1;

  let stats = records.occurrences.get(occurrenceKey);
  if (stats === undefined) {
    stats = {
      lectureId: question.lectureId,
      set: question.set,
      participants: 0,
      answers: 0,
      right: 0,
      questions: {},
      firstAt: answer.at,
    };
    const index = records.indexes.get(indexKey) ?? { occurrences: [] };
    index.occurrences = [
      ...index.occurrences.filter(
        (entry) => !(entry.eventId === event.id && entry.occurrence === event.occurrence),
      ),
      { eventId: event.id, occurrence: event.occurrence, lectureId: question.lectureId, at: answer.at },
    ].slice(-EVENT_INDEX_SIZE);
    records.indexes.set(indexKey, index);
    records.touch(indexKey);
  }
  if (known === undefined) stats.participants += 1;
  stats.answers += 1;
  if (answer.correct) stats.right += 1;
  stats.firstAt = Math.min(stats.firstAt, answer.at);
  const counts = (stats.questions[slot] ??= {
    ...emptyCounts(),
    fingerprint: question.fingerprint,
    lectureId: question.lectureId,
    set: question.set,
    question: question.question,
  });
  count(counts, answer.choice, answer.correct);
  records.occurrenceMembers.set(memberKey, member);
  records.occurrences.set(occurrenceKey, stats);
  records.touch(memberKey, occurrenceKey);
}
