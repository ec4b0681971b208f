// The one place that builds and parses button custom_ids. All a button needs to work after a
// restart lives in its id (and the store), so ids are versioned: `q1|kind|...`. Discord allows
// at most 100 characters; every builder checks it.
//
//   q1|a|<lectureId>|<set>|<question>|<answer>|<fingerprint>   answer a question
//   q1|o|<lectureId>                                            open the full lecture privately
//   q1|r|<lectureId>|<page>                                     turn its pages
//   q1|l|<page>|<search>                                        the lecture list, paged
//   q1|b|<page>                                                 the leaderboard, paged
//   q1|e|<eventId>|<occurrence>|<question>|<answer>             answer a quiz event's question
//   q1|v|<page>                                                 /quizevent list, paged
//   q1|pa|<lectureId>|<session>|<position>|<answer>             answer in a private practice run
//   q1|pn|<lectureId>|<session>|<position>                      on to the next question of it
//   q1|pc|<lectureId>|<session>                                 continue an unfinished run
//   q1|ps|<lectureId>|<set>|<session>                           start that run over (on set <set>)
//   q1|ra|<session>|<position>|<answer>                         answer in a review session
//   q1|rn|<session>|<position>                                  on to the next review question
//   q1|rs                                                       start a review (from /quiz score)
//   q1|lp|<page>                                                /lecture list, paged

export const CUSTOM_ID_PREFIX = 'q1';
export const CUSTOM_ID_MAX_LENGTH = 100;
const SEPARATOR = '|';

export type QuizCustomId =
  | {
      kind: 'answer';
      lectureId: string;
      /** Which question set: 0 for a lecture's questions, or the index of a quiz file's quiz. */
      set: number;
      question: number;
      answer: number;
      fingerprint: string;
    }
  | { kind: 'lecture-open'; lectureId: string }
  | { kind: 'lecture-page'; lectureId: string; page: number }
  | { kind: 'list-page'; page: number; search: string }
  | { kind: 'leaderboard-page'; page: number }
  | { kind: 'event-list-page'; page: number }
  | { kind: 'library-page'; page: number }
  | {
      kind: 'event-answer';
      eventId: string;
      /** Which run of a repeating event: a click on last week's message is refused, not counted. */
      occurrence: number;
      question: number;
      answer: number;
    }
  // Practice and review: the session id and position tell a stale or replaced button from a live one.
  | { kind: 'practice-answer'; lectureId: string; session: string; position: number; answer: number }
  | { kind: 'practice-next'; lectureId: string; session: string; position: number }
  | { kind: 'practice-continue'; lectureId: string; session: string }
  | { kind: 'practice-restart'; lectureId: string; set: number; session: string }
  | { kind: 'review-answer'; session: string; position: number; answer: number }
  | { kind: 'review-next'; session: string; position: number }
  | { kind: 'review-start' };

export type CustomIdKind = QuizCustomId['kind'];

const LECTURE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const FINGERPRINT = /^[A-Za-z0-9_-]{1,16}$/;
const INDEX = /^(0|[1-9]\d{0,5})$/;
/** A quiz event id: 6 characters of Crockford base32 (src/events/model.ts). */
const EVENT_ID = /^[0-9A-HJKMNP-TV-Z]{6}$/;
/** A practice or review session id: 8 characters of the same alphabet (src/study/session.ts). */
const SESSION_ID = /^[0-9A-HJKMNP-TV-Z]{8}$/;

export function buildCustomId(data: QuizCustomId): string {
  const parts = ((): (string | number)[] => {
    switch (data.kind) {
      case 'answer':
        return ['a', data.lectureId, data.set, data.question, data.answer, data.fingerprint];
      case 'lecture-open':
        return ['o', data.lectureId];
      case 'lecture-page':
        return ['r', data.lectureId, data.page];
      case 'list-page':
        return ['l', data.page, data.search];
      case 'leaderboard-page':
        return ['b', data.page];
      case 'event-list-page':
        return ['v', data.page];
      case 'event-answer':
        return ['e', data.eventId, data.occurrence, data.question, data.answer];
      case 'practice-answer':
        return ['pa', data.lectureId, data.session, data.position, data.answer];
      case 'practice-next':
        return ['pn', data.lectureId, data.session, data.position];
      case 'practice-continue':
        return ['pc', data.lectureId, data.session];
      case 'practice-restart':
        return ['ps', data.lectureId, data.set, data.session];
      case 'review-answer':
        return ['ra', data.session, data.position, data.answer];
      case 'review-next':
        return ['rn', data.session, data.position];
      case 'review-start':
        return ['rs'];
      case 'library-page':
        return ['lp', data.page];
    }
  })();
  const id = [CUSTOM_ID_PREFIX, ...parts].join(SEPARATOR);
  // Round-trip check: catches an id with a separator or bad characters as well as one too long.
  if (id.length > CUSTOM_ID_MAX_LENGTH || parseCustomId(id) === null) {
    throw new Error(`cannot build a valid custom_id for ${JSON.stringify(data)}`);
  }
  return id;
}

/** The typed data of a custom_id this module built, or null for anything else (old, foreign, malformed). */
export function parseCustomId(id: string): QuizCustomId | null {
  if (id.length > CUSTOM_ID_MAX_LENGTH) return null;
  const [prefix, kind, ...rest] = id.split(SEPARATOR);
  if (prefix !== CUSTOM_ID_PREFIX) return null;
  switch (kind) {
    case 'a': {
      const [lectureId, set, question, answer, fingerprint, extra] = rest;
      if (
        extra !== undefined ||
        !isLectureId(lectureId) ||
        fingerprint === undefined ||
        !FINGERPRINT.test(fingerprint)
      )
        return null;
      const [s, q, a] = [toIndex(set), toIndex(question), toIndex(answer)];
      if (s === null || q === null || a === null) return null;
      return { kind: 'answer', lectureId, set: s, question: q, answer: a, fingerprint };
    }
    case 'o': {
      const [lectureId, extra] = rest;
      if (extra !== undefined || !isLectureId(lectureId)) return null;
      return { kind: 'lecture-open', lectureId };
    }
    case 'r': {
      const [lectureId, page, extra] = rest;
      const p = toIndex(page);
      if (extra !== undefined || !isLectureId(lectureId) || p === null) return null;
      return { kind: 'lecture-page', lectureId, page: p };
    }
    case 'l': {
      const [page, ...search] = rest;
      const p = toIndex(page);
      if (p === null || search.length === 0) return null;
      // The search is last and free text, so a separator inside it belongs to it.
      return { kind: 'list-page', page: p, search: search.join(SEPARATOR) };
    }
    case 'b': {
      const [page, extra] = rest;
      const p = toIndex(page);
      if (extra !== undefined || p === null) return null;
      return { kind: 'leaderboard-page', page: p };
    }
    case 'v': {
      const [page, extra] = rest;
      const p = toIndex(page);
      if (extra !== undefined || p === null) return null;
      return { kind: 'event-list-page', page: p };
    }
    case 'e': {
      const [eventId, occurrence, question, answer, extra] = rest;
      if (extra !== undefined || eventId === undefined || !EVENT_ID.test(eventId)) return null;
      const [o, q, a] = [toIndex(occurrence), toIndex(question), toIndex(answer)];
      if (o === null || q === null || a === null) return null;
      return { kind: 'event-answer', eventId, occurrence: o, question: q, answer: a };
    }
    case 'lp': {
      const [page, extra] = rest;
      const p = toIndex(page);
      if (extra !== undefined || p === null) return null;
      return { kind: 'library-page', page: p };
    }
    default:
      return parseStudyId(kind, rest);
  }
}

/** Practice and review buttons. */
function parseStudyId(kind: string | undefined, rest: string[]): QuizCustomId | null {
  switch (kind) {
    case 'pa': {
      const [lectureId, session, position, answer, extra] = rest;
      const [p, a] = [toIndex(position), toIndex(answer)];
      if (extra !== undefined || !isLectureId(lectureId) || !isSessionId(session) || p === null || a === null)
        return null;
      return { kind: 'practice-answer', lectureId, session, position: p, answer: a };
    }
    case 'pn': {
      const [lectureId, session, position, extra] = rest;
      const p = toIndex(position);
      if (extra !== undefined || !isLectureId(lectureId) || !isSessionId(session) || p === null) return null;
      return { kind: 'practice-next', lectureId, session, position: p };
    }
    case 'pc': {
      const [lectureId, session, extra] = rest;
      if (extra !== undefined || !isLectureId(lectureId) || !isSessionId(session)) return null;
      return { kind: 'practice-continue', lectureId, session };
    }
    case 'ps': {
      const [lectureId, set, session, extra] = rest;
      const s = toIndex(set);
      if (extra !== undefined || !isLectureId(lectureId) || !isSessionId(session) || s === null) return null;
      return { kind: 'practice-restart', lectureId, set: s, session };
    }
    case 'ra': {
      const [session, position, answer, extra] = rest;
      const [p, a] = [toIndex(position), toIndex(answer)];
      if (extra !== undefined || !isSessionId(session) || p === null || a === null) return null;
      return { kind: 'review-answer', session, position: p, answer: a };
    }
    case 'rn': {
      const [session, position, extra] = rest;
      const p = toIndex(position);
      if (extra !== undefined || !isSessionId(session) || p === null) return null;
      return { kind: 'review-next', session, position: p };
    }
    case 'rs':
      return rest.length === 0 ? { kind: 'review-start' } : null;
    default:
      return null;
  }
}

/** The prefix routers use to send a custom_id to its owner (`q1` here, other commands their own). */
export function customIdPrefix(id: string): string {
  const end = id.indexOf(SEPARATOR);
  return end === -1 ? id : id.slice(0, end);
}

/** Room left for the search text in a list-page id, so callers can cut it before building. */
export const MAX_LIST_SEARCH_LENGTH = CUSTOM_ID_MAX_LENGTH - `${CUSTOM_ID_PREFIX}|l|999999|`.length;

function isLectureId(value: string | undefined): value is string {
  return value !== undefined && LECTURE_ID.test(value);
}

function isSessionId(value: string | undefined): value is string {
  return value !== undefined && SESSION_ID.test(value);
}

function toIndex(value: string | undefined): number | null {
  return value !== undefined && INDEX.test(value) ? Number(value) : null;
}
