// Reading the results for teachers: the counters are single keys; the per-member records (for the
// CSV and the event standings) are one key range each. Written only by StatsRecorder.
import type { KeyvTable } from '../store/index.js';
import { parseStringFreeValue } from '../store/sqlite.js';
import {
  statsEventIndexKey,
  statsEventKey,
  statsEventMemberPrefix,
  statsLectureKey,
  statsMemberPrefix,
} from '../store/keys.js';
import type {
  EventIndex,
  LectureStats,
  MemberLectureRecord,
  OccurrenceMemberRecord,
  OccurrenceStats,
} from './model.js';

export interface Member<T> {
  userId: string;
  record: T;
}

export class StatsStore {
  constructor(private readonly table: KeyvTable) {}

  async lecture(guildId: string, lectureId: string): Promise<LectureStats | undefined> {
    const [stats] = await this.table.getMany<[LectureStats]>([statsLectureKey(guildId, lectureId)]);
    return stats;
  }

  /** Every member who answered the lecture, by user id. */
  async lectureMembers(guildId: string, lectureId: string): Promise<Member<MemberLectureRecord>[]> {
    const rows = await this.table.getByPrefix(statsMemberPrefix(guildId, lectureId), parseMemberRecord);
    return rows.map((row) => ({ userId: row.suffix, record: row.value }));
  }

  async occurrence(
    guildId: string,
    eventId: string,
    occurrence: number,
  ): Promise<OccurrenceStats | undefined> {
    const [stats] = await this.table.getMany<[OccurrenceStats]>([
      statsEventKey(guildId, eventId, occurrence),
    ]);
    return stats;
  }

  async occurrenceMembers(
    guildId: string,
    eventId: string,
    occurrence: number,
  ): Promise<Member<OccurrenceMemberRecord>[]> {
    const rows = await this.table.getByPrefix<OccurrenceMemberRecord>(
      statsEventMemberPrefix(guildId, eventId, occurrence),
    );
    return rows.map((row) => ({ userId: row.suffix, record: row.value }));
  }

  /** The server's most recent occurrences with results, newest first. */
  async recentOccurrences(guildId: string): Promise<EventIndex['occurrences']> {
    const [index] = await this.table.getMany<[EventIndex]>([statsEventIndexKey(guildId)]);
    return [...(index?.occurrences ?? [])].reverse();
  }
}

/**
 * A member record read with plain JSON.parse rather than Keyv's reviver (three times slower over
 * 10,000 records). The name is its only string, so Keyv's one escape (a leading ':' doubled) is
 * undone here; anything unexpected is refused.
 */
function parseMemberRecord(stored: string): MemberLectureRecord | undefined {
  const record = parseStringFreeValue<MemberLectureRecord>(stored);
  if (typeof record?.name !== 'string' || typeof record.answers !== 'object') return undefined;
  if (record.name.startsWith(':')) record.name = record.name.slice(1);
  return record;
}
