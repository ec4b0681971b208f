// Practice runs (one per member and lecture) and review sessions (one per member) in the store, so
// that their buttons work after a restart. A new run of the same lecture, or a new review, replaces
// the one before; the replaced one's buttons then say so.
import type { RecordStore } from '../store/records.js';
import { practiceSessionKey, reviewSessionKey } from '../store/keys.js';
import { isStudySession } from './session.js';
import type { StudySession } from './session.js';

/** Which session slot: a member's practice of one lecture, or their review. */
export type SessionSlot = { kind: 'practice'; lectureId: string } | { kind: 'review' };

export class SessionStore {
  constructor(private readonly records: RecordStore) {}

  async get(guildId: string, userId: string, slot: SessionSlot): Promise<StudySession | undefined> {
    const [stored] = await this.records.getMany<[unknown]>([sessionKey(guildId, userId, slot)]);
    return isStudySession(stored) ? stored : undefined;
  }

  /** Resolves once the session is on disk. */
  async save(guildId: string, userId: string, session: StudySession): Promise<void> {
    await this.records.setAtomically([{ key: sessionKey(guildId, userId, slotOf(session)), value: session }]);
  }
}

export function slotOf(session: StudySession): SessionSlot {
  return session.kind === 'practice' && session.lectureId !== null
    ? { kind: 'practice', lectureId: session.lectureId }
    : { kind: 'review' };
}

/** The lock key of a slot: one step at a time per session slot. */
export function slotKey(guildId: string, userId: string, slot: SessionSlot): string {
  return sessionKey(guildId, userId, slot);
}

function sessionKey(guildId: string, userId: string, slot: SessionSlot): string {
  return slot.kind === 'practice'
    ? practiceSessionKey(guildId, userId, slot.lectureId)
    : reviewSessionKey(guildId, userId);
}
