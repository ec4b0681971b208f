// A member's click on a quiz event's question, as pure rules: whether it counts, and, when it does
// not, the reason in the words the member sees. The store applies them (src/events/store.ts).
import { answerLetter } from '../content/present.js';
import type { AnswerRejection, AnswerResult, AnswerSheet, QuizEvent, RecordedAnswer } from './model.js';
import { answerRejectionMessage, isActive } from './model.js';

export interface EventClick {
  eventId: string;
  /** Which run of a repeating event the button was posted for. */
  occurrence: number;
  questionIndex: number;
  userId: string;
  /** The member's name in the server, kept with the answer for teachers' exports. */
  userName?: string;
  choice: number;
  /** When the click was made (ms since epoch). */
  at: number;
  /** Where the click came from: only the event's own server and channel count. */
  guildId: string;
  channelId: string;
}

/** What a click is checked against: a sheet's settings, and whether a member has answered it. */
export interface OpenSheet extends Omit<AnswerSheet, 'answers'> {
  hasAnswered(userId: string): boolean;
}

/**
 * One member's click on an answer sheet: the answer to record, or why it does not count. The first
 * answer per member counts; answers from another server or channel, after the close time or once
 * the sheet is closed are refused; a click on last week's message for the same question is refused
 * as stale.
 */
export function checkEventAnswer(
  sheet: OpenSheet | undefined,
  click: EventClick,
): { accepted: true; answer: RecordedAnswer } | { accepted: false; reason: AnswerRejection } {
  const refuse = (reason: AnswerRejection) => ({ accepted: false as const, reason });
  if (sheet === undefined) return refuse('not-open');
  if (sheet.guildId !== click.guildId || sheet.channelId !== click.channelId) return refuse('elsewhere');
  if (click.occurrence !== sheet.occurrence) return refuse('stale');
  const { choice, userId, at } = click;
  if (!Number.isInteger(choice) || choice < 0 || choice >= sheet.answerCount) return refuse('invalid-choice');
  if (sheet.hasAnswered(userId)) return refuse('already-answered');
  if (sheet.closed || at >= sheet.closesAt) return refuse('closed');
  const answer: RecordedAnswer = {
    choice,
    at,
    ms: Math.max(0, at - sheet.openedAt),
    ...(click.userName === undefined ? {} : { name: click.userName }),
  };
  return { accepted: true, answer };
}

/**
 * Why a click found no open answer sheet, told from the event record: the event is gone, belongs
 * elsewhere, was cancelled or has ended, the button is from an earlier run, or the question is not
 * open yet (or was already closed and cleared).
 */
export function refusalWithoutSheet(event: QuizEvent | undefined, click: EventClick): AnswerRejection {
  if (event === undefined) return 'unknown-event';
  if (event.guildId !== click.guildId || event.channelId !== click.channelId) return 'elsewhere';
  if (click.occurrence < event.occurrence) return 'stale';
  if (event.status === 'cancelled') return 'cancelled';
  if (!isActive(event) || click.occurrence > event.occurrence) return 'ended';
  if (event.status === 'scheduled') return 'not-open';
  return click.questionIndex > event.progress.questionIndex ? 'not-open' : 'closed';
}

/** The private reply to an event click: locked in, or why it did not count. */
export function eventAnswerReply(result: AnswerResult, choice: number): string {
  return result.accepted
    ? `🔒 **Answer locked in: ${answerLetter(choice)}.** The right answer is shown when time is up.`
    : answerRejectionMessage(result.reason);
}
