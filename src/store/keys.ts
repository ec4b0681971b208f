// Every key the bot writes, in one place. Keys sit under the Keyv namespace, so on disk a score is
// `quizbot:score:{guild}:{user}`. Guild and user ids may not contain ':' (Discord snowflakes never
// do), which keeps `score:{guild}:` a prefix of exactly that guild's scores. The question key comes
// last, so it may contain ':' freely.
//
//   score:{guild}:{user}                 ScoreRecord                      quiz store
//   answer:{guild}:{user}:{questionKey}  StoredAnswer (first answer)      quiz store
//   meta:{name}                          small values (registration hash,  quiz store
//                                        the /healthz probe's last write)
//   quizevent:{id}                       QuizEvent                        event store
//   quizevent-guild:{guild}              ids of the guild's active events event store
//   quizevent-active                     ids of every active event (old)  event store, read once
//   quizevent-active:{id}                the event's guild, while active  event store
//   quizevent-answers:{id}:{question}    AnswerSheet of one question (its settings;  event store
//                                        answers only in sheets written before the next line)
//   quizevent-answer:{id}:{question}:{occ}:{user}  RecordedAnswer of one member  event store
//   card:{guild}:{user}:{questionKey}    ReviewCard (FSRS state)          study store
//   study-practice:{guild}:{user}:{lecture}  StudySession (practice run)  study store
//   study-review:{guild}:{user}          StudySession (review session)    study store
//   study-missed:{guild}:{day}:{questionKey}  misses of one question that day  study store
//   study-missed:{guild}:{day}           misses per question that day (old: read, never written)
//   library:{guild}:{lecture}            StoredLecture (source as uploaded) library store
//   library-index:{guild}                LibraryIndex (who, when, totals)  library store
//   stats-lecture:{guild}:{lecture}      LectureStats (counters)           stats store
//   stats-member:{guild}:{lecture}:{user} MemberLectureRecord (first answers) stats store
//   stats-event:{guild}:{event}:{occ}    OccurrenceStats (counters)        stats store
//   stats-event-member:{guild}:{event}:{occ}:{user} OccurrenceMemberRecord  stats store
//   stats-event-index:{guild}            recent occurrences with results    stats store

export const STORE_NAMESPACE = 'quizbot';

/** Every prefix in use; a new feature adds its own here, never reuses one. */
export const RESERVED_PREFIXES = [
  'score:',
  'answer:',
  'meta:',
  'quizevent:',
  'quizevent-guild:',
  'quizevent-active',
  'quizevent-answers:',
  'quizevent-answer:',
  'quizevent-active:',
  'card:',
  'study-practice:',
  'study-review:',
  'study-missed:',
  'library:',
  'library-index:',
  'stats-lecture:',
  'stats-member:',
  'stats-event:',
  'stats-event-member:',
  'stats-event-index:',
] as const;

export function scoreKey(guildId: string, userId: string): string {
  return `${guildScorePrefix(guildId)}${checkId('userId', userId)}`;
}

/** Every score of one guild starts with this. */
export function guildScorePrefix(guildId: string): string {
  return `score:${checkId('guildId', guildId)}:`;
}

export function answerKey(guildId: string, userId: string, questionKey: string): string {
  if (questionKey.length === 0) throw new TypeError('questionKey must not be empty');
  return `answer:${checkId('guildId', guildId)}:${checkId('userId', userId)}:${questionKey}`;
}

export function metaKey(key: string): string {
  if (key.length === 0) throw new TypeError('meta key must not be empty');
  return `meta:${key}`;
}

function checkId(name: string, value: string): string {
  if (value.length === 0 || value.includes(':')) {
    throw new TypeError(`${name} must be non-empty and contain no ':', got ${JSON.stringify(value)}`);
  }
  return value;
}

// ---- quiz events ----

/** The list every active event's id was kept in before shards: moved into per-event keys on start. */
export const EVENTS_ACTIVE_KEY = 'quizevent-active';

/** One key per active event, so processes on different shards never rewrite one shared list. */
export const EVENTS_ACTIVE_PREFIX = 'quizevent-active:';

export function eventActiveKey(eventId: string): string {
  return `${EVENTS_ACTIVE_PREFIX}${checkId('eventId', eventId)}`;
}

export function eventKey(eventId: string): string {
  return `quizevent:${checkId('eventId', eventId)}`;
}

export function eventGuildKey(guildId: string): string {
  return `quizevent-guild:${checkId('guildId', guildId)}`;
}

export function eventAnswersKey(eventId: string, questionIndex: number): string {
  return `quizevent-answers:${checkId('eventId', eventId)}:${questionIndex}`;
}

/** One member's answer to one question of one run of an event. */
export function eventAnswerKey(
  eventId: string,
  questionIndex: number,
  occurrence: number,
  userId: string,
): string {
  return `${eventAnswerPrefix(eventId, questionIndex, occurrence)}${checkId('userId', userId)}`;
}

/**
 * The members' answers of an event (every question and run), of one question (every run), or of one
 * question in one run: one key range each.
 */
export function eventAnswerPrefix(eventId: string, questionIndex?: number, occurrence?: number): string {
  const event = `quizevent-answer:${checkId('eventId', eventId)}:`;
  if (questionIndex === undefined) return event;
  return occurrence === undefined ? `${event}${questionIndex}:` : `${event}${questionIndex}:${occurrence}:`;
}

// ---- study (practice, review cards, review nights) ----

export function cardKey(guildId: string, userId: string, questionKey: string): string {
  if (questionKey.length === 0) throw new TypeError('questionKey must not be empty');
  return `${memberCardPrefix(guildId, userId)}${questionKey}`;
}

/** Every review card of one member in one guild starts with this: one key range. */
export function memberCardPrefix(guildId: string, userId: string): string {
  return `card:${checkId('guildId', guildId)}:${checkId('userId', userId)}:`;
}

/** A member's practice run of one lecture (the lecture id comes last, so it may contain ':'). */
export function practiceSessionKey(guildId: string, userId: string, lectureId: string): string {
  if (lectureId.length === 0) throw new TypeError('lectureId must not be empty');
  return `study-practice:${checkId('guildId', guildId)}:${checkId('userId', userId)}:${lectureId}`;
}

/** A member's current review session. */
export function reviewSessionKey(guildId: string, userId: string): string {
  return `study-review:${checkId('guildId', guildId)}:${checkId('userId', userId)}`;
}

/**
 * One guild's missed-question counts of one UTC day (`YYYY-MM-DD`) in one record, as they were kept
 * before each question had its own (missedQuestionKey): still read, never written.
 */
export function missedDayKey(guildId: string, day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
    throw new TypeError(`day must be YYYY-MM-DD, got ${JSON.stringify(day)}`);
  return `study-missed:${checkId('guildId', guildId)}:${day}`;
}

/** Every question missed in one guild on one UTC day has its count under this: one key range. */
export function missedDayPrefix(guildId: string, day: string): string {
  return `${missedDayKey(guildId, day)}:`;
}

/** The misses of one question version in one guild on one UTC day. */
export function missedQuestionKey(guildId: string, day: string, questionKey: string): string {
  if (questionKey.length === 0) throw new TypeError('questionKey must not be empty');
  return `${missedDayPrefix(guildId, day)}${questionKey}`;
}

// ---- lectures uploaded to a server (src/library) ----

export function libraryLectureKey(guildId: string, lectureId: string): string {
  return `${libraryGuildPrefix(guildId)}${checkId('lectureId', lectureId)}`;
}

/** Every uploaded lecture of one guild starts with this. */
export function libraryGuildPrefix(guildId: string): string {
  return `library:${checkId('guildId', guildId)}:`;
}

export function libraryIndexKey(guildId: string): string {
  return `library-index:${checkId('guildId', guildId)}`;
}

/** Every guild's library index starts with this (loaded once at start-up). */
export const LIBRARY_INDEX_PREFIX = 'library-index:';

// ---- results for teachers (src/stats) ----

export function statsLectureKey(guildId: string, lectureId: string): string {
  return `stats-lecture:${checkId('guildId', guildId)}:${checkId('lectureId', lectureId)}`;
}

export function statsMemberKey(guildId: string, lectureId: string, userId: string): string {
  return `${statsMemberPrefix(guildId, lectureId)}${checkId('userId', userId)}`;
}

/** Every participant record of one lecture in one guild starts with this. */
export function statsMemberPrefix(guildId: string, lectureId: string): string {
  return `stats-member:${checkId('guildId', guildId)}:${checkId('lectureId', lectureId)}:`;
}

export function statsEventKey(guildId: string, eventId: string, occurrence: number): string {
  return `stats-event:${checkId('guildId', guildId)}:${checkId('eventId', eventId)}:${checkOccurrence(occurrence)}`;
}

export function statsEventMemberKey(
  guildId: string,
  eventId: string,
  occurrence: number,
  userId: string,
): string {
  return `${statsEventMemberPrefix(guildId, eventId, occurrence)}${checkId('userId', userId)}`;
}

/** Every participant record of one event occurrence starts with this. */
export function statsEventMemberPrefix(guildId: string, eventId: string, occurrence: number): string {
  return `stats-event-member:${checkId('guildId', guildId)}:${checkId('eventId', eventId)}:${checkOccurrence(occurrence)}:`;
}

export function statsEventIndexKey(guildId: string): string {
  return `stats-event-index:${checkId('guildId', guildId)}`;
}

function checkOccurrence(occurrence: number): number {
  if (!Number.isInteger(occurrence) || occurrence < 1)
    throw new TypeError(`occurrence must be >= 1, got ${occurrence}`);
  return occurrence;
}
