// Shared test data for quiz events: questions, a new-event input, and a recording fake of the
// Discord layer's actions.
import type { Question } from '../../src/content/types.js';
import type { QuestionReveal } from '../../src/events/engine.js';
import type { Standing } from '../../src/events/standings.js';
import type { NewQuizEventInput, QuizEvent } from '../../src/events/model.js';
import type { EventAward } from '../../src/events/award.js';
import type { EventActions, PostedMessage, RunnerLog, ScoreWriter } from '../../src/events/runner.js';

export function question(text: string, answerCount: number, correctIndex: number): Question {
  return {
    text,
    answers: Array.from({ length: answerCount }, (_, index) => ({
      text: `${text} answer ${index}`,
      feedback: null,
    })),
    correctIndex,
    line: 1,
  };
}

/** Three questions: the correct answers are B, A and D. */
export const QUESTIONS: Question[] = [question('Q1', 3, 1), question('Q2', 2, 0), question('Q3', 4, 3)];

export function eventInput(overrides: Partial<NewQuizEventInput> = {}): NewQuizEventInput {
  return {
    guildId: 'guild-1',
    channelId: 'channel-1',
    lectureId: 'lecture-1',
    createdBy: 'moderator-1',
    startAt: Date.parse('2026-05-04T18:00:00Z'),
    zone: 'Europe/Berlin',
    repeat: 'none',
    secondsPerQuestion: 5,
    questionLimit: null,
    reminderMinutes: 10,
    introSeconds: 10,
    revealSeconds: 5,
    ...overrides,
  };
}

export type ActionCall =
  | { type: 'reminder'; eventId: string; at: number }
  | { type: 'intro'; eventId: string; at: number; questions: number }
  | { type: 'open'; eventId: string; at: number; index: number; closesAt: number }
  | { type: 'close'; eventId: string; at: number; index: number; reveal: QuestionReveal }
  | { type: 'standings'; eventId: string; at: number; ranked: readonly Standing[] }
  | { type: 'ended'; eventId: string; at: number; next: QuizEvent | null };

type FailingAction = 'reminder' | 'intro' | 'open' | 'close' | 'standings';

/** Records every call; `failNext` makes the next calls of one action throw (per event when given). */
export class FakeActions implements EventActions {
  readonly calls: ActionCall[] = [];
  private readonly failures: { action: FailingAction; eventId?: string; times: number }[] = [];
  private messageCounter = 0;

  constructor(private readonly questions: readonly Question[] = QUESTIONS) {}

  failNext(action: FailingAction, times = 1, eventId?: string): void {
    this.failures.push({ action, times, eventId });
  }

  of(eventId: string): ActionCall[] {
    return this.calls.filter((call) => call.eventId === eventId);
  }

  types(eventId?: string): string[] {
    return (eventId === undefined ? this.calls : this.of(eventId)).map((call) =>
      'index' in call ? `${call.type}${call.index}` : call.type,
    );
  }

  loadQuestions(): Promise<readonly Question[]> {
    return Promise.resolve(this.questions);
  }

  postReminder(event: QuizEvent): Promise<PostedMessage> {
    return this.post('reminder', event, { type: 'reminder', eventId: event.id, at: Date.now() });
  }

  postIntro(event: QuizEvent, questions: readonly Question[]): Promise<PostedMessage> {
    return this.post('intro', event, {
      type: 'intro',
      eventId: event.id,
      at: Date.now(),
      questions: questions.length,
    });
  }

  openQuestion(
    event: QuizEvent,
    index: number,
    _question: Question,
    closesAt: number,
  ): Promise<PostedMessage> {
    return this.post('open', event, { type: 'open', eventId: event.id, at: Date.now(), index, closesAt });
  }

  closeQuestion(event: QuizEvent, index: number, reveal: QuestionReveal): Promise<PostedMessage> {
    return this.post('close', event, { type: 'close', eventId: event.id, at: Date.now(), index, reveal });
  }

  postStandings(event: QuizEvent, ranked: readonly Standing[]): Promise<PostedMessage> {
    return this.post('standings', event, { type: 'standings', eventId: event.id, at: Date.now(), ranked });
  }

  occurrenceEnded(ended: QuizEvent, next: QuizEvent | null): Promise<void> {
    this.calls.push({ type: 'ended', eventId: ended.id, at: Date.now(), next });
    return Promise.resolve();
  }

  private post(action: FailingAction, event: QuizEvent, call: ActionCall): Promise<PostedMessage> {
    const failure = this.failures.find(
      (entry) => entry.action === action && entry.times > 0 && (entry.eventId ?? event.id) === event.id,
    );
    if (failure !== undefined) {
      failure.times -= 1;
      return Promise.reject(new Error(`${action} failed on purpose`));
    }
    this.calls.push(call);
    this.messageCounter += 1;
    return Promise.resolve(`message-${this.messageCounter}`);
  }
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  data: object;
  message: string;
}

export function recordingLog(): RunnerLog & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (data, message) => entries.push({ level: 'info', data, message }),
    warn: (data, message) => entries.push({ level: 'warn', data, message }),
    error: (data, message) => entries.push({ level: 'error', data, message }),
  };
}

/** The server score as the runner sees it: every award written, in order; `failNext` throws. */
export class RecordingScores implements ScoreWriter {
  readonly awards: EventAward[] = [];
  private failures = 0;

  failNext(times = 1): void {
    this.failures += times;
  }

  /** Awards of one event, as `userId:question:correct` strings, sorted. */
  of(eventId: string): string[] {
    return this.awards
      .filter((award) => award.questionKey.startsWith(`event:${eventId}:`))
      .map((award) => `${award.userId}:${award.questionKey.split(':').at(-1)}:${award.correct}`)
      .sort();
  }

  recordAnswer(award: EventAward): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('the score store failed on purpose'));
    }
    this.awards.push(award);
    return Promise.resolve();
  }
}
