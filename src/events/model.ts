// A quiz event as plain data: everything needed to run, resume or repeat it lives in this record,
// so the store can hold it as JSON and a restarted bot can pick up where it stopped.
import { randomInt } from 'node:crypto';
import type { Question } from '../content/types.js';
import type { QuestionRef } from '../quiz/answer.js';
import type { EventOptions, RepeatRule } from './schedule.js';

export type EventStatus = 'scheduled' | 'running' | 'finished' | 'cancelled';

/**
 * Where an event is. `scheduled` events are `pending` or `reminded`; `running` ones go
 * intro → (question → reveal)* → standings; `done` once finished.
 */
export type EventPhase = 'pending' | 'reminded' | 'intro' | 'question' | 'reveal' | 'standings' | 'done';

export interface EventProgress {
  phase: EventPhase;
  /** The question open or last revealed; -1 before the first. */
  questionIndex: number;
  /** When the intro was posted: the first question opens `introSeconds` later. */
  introAt: number | null;
  questionOpenedAt: number | null;
  questionClosesAt: number | null;
  /** When the last reveal was posted: the next question opens `revealSeconds` later. */
  revealedAt: number | null;
  reminderMessageId: string | null;
  introMessageId: string | null;
  /** One per question asked, by index; null when posting failed or returned no id. */
  questionMessageIds: (string | null)[];
  revealMessageIds: (string | null)[];
  standingsMessageId: string | null;
  /** True when the start was missed by more than the grace period and the run was skipped. */
  missed: boolean;
}

/** A review night asks the server's most-missed questions of the last `days` days, across lectures. */
export interface ReviewNight {
  days: number;
}

export interface QuizEvent {
  /** 6 characters of Crockford base32: short enough to type into `/quizevent cancel`. */
  id: string;
  guildId: string;
  channelId: string;
  /** The lecture asked; '' for a review night. */
  lectureId: string;
  /** For quiz files: which `## --quiz--`; null for a lecture's own questions. */
  quizSet: number | null;
  createdBy: string;
  /** When this occurrence was scheduled (ms); a reminder whose time had passed by then is skipped. */
  createdAt: number;
  /** Start of this occurrence (ms since epoch). */
  startAt: number;
  /** Start of the first occurrence: repeats keep its wall-clock time in `zone`. */
  anchorAt: number;
  /** IANA zone (or luxon fixed offset such as `UTC+1`) that repeats follow. */
  zone: string;
  repeat: RepeatRule;
  secondsPerQuestion: number;
  /** How many questions to ask (the first N in lecture order); null for all. */
  questionLimit: number | null;
  reminderMinutes: number;
  introSeconds: number;
  /** Pause after each reveal before the next question or the standings. */
  revealSeconds: number;
  /** The Discord scheduled event mirroring this one, when the Discord layer made one. */
  discordEventId: string | null;
  status: EventStatus;
  /** 1 for the first run of a series, +1 for each repeat; answers are kept per occurrence. */
  occurrence: number;
  /**
   * The questions as they were when the intro was posted: edits to the lecture mid-event cannot
   * change what is graded. Null until the event starts.
   */
  questions: Question[] | null;
  progress: EventProgress;
  /** Set for a review night (absent in events stored before review nights existed). */
  review?: ReviewNight | null;
  /**
   * For a review night, where each of `questions` comes from (its lecture question), by index, so
   * its answers reach that question's review cards. Null until the event starts, and for a lecture
   * event (whose question i is the lecture's question i).
   */
  sources?: QuestionRef[] | null;
}

export const DEFAULT_REVEAL_SECONDS = 5;

export interface NewQuizEventInput extends EventOptions {
  guildId: string;
  channelId: string;
  lectureId: string;
  quizSet?: number | null;
  createdBy: string;
  startAt: number;
  zone: string;
  revealSeconds?: number;
  discordEventId?: string | null;
  review?: ReviewNight | null;
}

export function initialProgress(): EventProgress {
  return {
    phase: 'pending',
    questionIndex: -1,
    introAt: null,
    questionOpenedAt: null,
    questionClosesAt: null,
    revealedAt: null,
    reminderMessageId: null,
    introMessageId: null,
    questionMessageIds: [],
    revealMessageIds: [],
    standingsMessageId: null,
    missed: false,
  };
}

export function newQuizEvent(input: NewQuizEventInput, id: string, now: number): QuizEvent {
  return {
    id,
    guildId: input.guildId,
    channelId: input.channelId,
    lectureId: input.lectureId,
    quizSet: input.quizSet ?? null,
    createdBy: input.createdBy,
    createdAt: now,
    startAt: input.startAt,
    anchorAt: input.startAt,
    zone: input.zone,
    repeat: input.repeat,
    secondsPerQuestion: input.secondsPerQuestion,
    questionLimit: input.questionLimit,
    reminderMinutes: input.reminderMinutes,
    introSeconds: input.introSeconds,
    revealSeconds: input.revealSeconds ?? DEFAULT_REVEAL_SECONDS,
    discordEventId: input.discordEventId ?? null,
    status: 'scheduled',
    occurrence: 1,
    questions: null,
    progress: initialProgress(),
    review: input.review ?? null,
    sources: null,
  };
}

/** True while the event still needs the runner: it has not finished and was not cancelled. */
export function isActive(event: QuizEvent): boolean {
  return event.status === 'scheduled' || event.status === 'running';
}

/** True from the intro to the standings (whatever its status now): members are in the middle of it. */
export function isUnderWay(event: QuizEvent): boolean {
  return ['intro', 'question', 'reveal', 'standings'].includes(event.progress.phase);
}

// ---- ids ----

/** Crockford base32: no I, L, O or U, so ids read aloud or typed by hand are hard to get wrong. */
const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const EVENT_ID_LENGTH = 6;

/** 6 random base32 characters: 2^30 ids, checked against the store for collisions on create. */
export function generateEventId(random: (max: number) => number = randomInt): string {
  let id = '';
  for (let i = 0; i < EVENT_ID_LENGTH; i += 1) id += ID_ALPHABET[random(ID_ALPHABET.length)];
  return id;
}

/** What a member typed, as a stored id: case and the look-alikes O/I/L forgiven; null when it can't be one. */
export function normalizeEventId(input: string): string | null {
  const id = input.trim().toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1').replace(/[\s-]/g, '');
  if (id.length !== EVENT_ID_LENGTH) return null;
  return [...id].every((char) => ID_ALPHABET.includes(char)) ? id : null;
}

// ---- answers ----

export interface RecordedAnswer {
  choice: number;
  /** When the answer arrived (ms since epoch). */
  at: number;
  /** Time taken: ms from the question opening to the answer; ties in the standings use its sum. */
  ms: number;
  /** The member's name when they answered (for teachers' exports); absent on older sheets. */
  name?: string;
}

/**
 * All answers to one question of one occurrence, stored under its own key so recording an answer
 * rewrites one small record, not the whole event. Created when the question opens.
 */
export interface AnswerSheet {
  eventId: string;
  /** Where the question was posted: answers from anywhere else are refused. */
  guildId: string;
  channelId: string;
  occurrence: number;
  questionIndex: number;
  answerCount: number;
  openedAt: number;
  closesAt: number;
  /** Set when the runner closes the question: answers after that are refused whatever their time. */
  closed: boolean;
  answers: Record<string, RecordedAnswer>;
}

export type AnswerRejection =
  | 'not-open'
  | 'closed'
  | 'already-answered'
  | 'invalid-choice'
  | 'stale'
  | 'elsewhere'
  | 'ended'
  | 'cancelled'
  | 'unknown-event';

export type AnswerResult = { accepted: true } | { accepted: false; reason: AnswerRejection };

/** Words for a member whose click did not count, safe to show in an ephemeral reply. */
export function answerRejectionMessage(reason: AnswerRejection): string {
  switch (reason) {
    case 'not-open':
      return 'This question is not open yet.';
    case 'closed':
      return "Time's up: this question is closed.";
    case 'already-answered':
      return 'Your first answer is already locked in.';
    case 'invalid-choice':
      return 'That answer is not one of the choices.';
    case 'stale':
      return 'That button belongs to an earlier run of this event.';
    case 'elsewhere':
      return 'That button belongs to a quiz event in another channel or server, so it cannot count here.';
    case 'ended':
      return 'This quiz event has ended: its standings are in the channel.';
    case 'cancelled':
      return 'This quiz event was cancelled, so answers no longer count.';
    case 'unknown-event':
      return 'This quiz event no longer exists.';
  }
}

// ---- message identity ----

/** Which event message a post is; `index` for the per-question ones. */
export type EventMessageKind = 'reminder' | 'intro' | 'question' | 'reveal' | 'standings' | 'cancelled';

const NONCE_CODES: Record<EventMessageKind, string> = {
  reminder: 'r',
  intro: 'i',
  question: 'q',
  reveal: 'v',
  standings: 's',
  cancelled: 'c',
};

/**
 * The nonce an event message is posted with (Discord allows 25 characters). The same step of the
 * same occurrence always gets the same nonce, so when a crash between posting and saving makes a
 * restarted bot post it again, Discord returns the message already made instead of a second one.
 */
export function eventMessageNonce(
  event: Pick<QuizEvent, 'id' | 'occurrence'>,
  kind: EventMessageKind,
  index?: number,
): string {
  return `${event.id}.${event.occurrence}.${NONCE_CODES[kind]}${index ?? ''}`;
}
