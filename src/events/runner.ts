// Drives every quiz event of the process with one timer: it sleeps until the earliest due step of
// any event, runs what is due, persists the result, and sleeps again. Talking to Discord is left to
// an `EventActions` implementation, so this file has no discord.js import and tests drive it with
// fake timers and a recording fake.
//
// Persistence: each step's result is written to the store (awaited) before the next step is looked
// at, so after a crash the stored event says exactly which steps are done. A step whose action ran
// but whose result was not yet written runs again on resume (at-least-once): messages are posted
// with a nonce per step, so Discord hands back the message already made instead of a second one,
// and points are written under keys the score store counts once.
//
// Failures: an action that throws is logged and retried after `retryDelayMs`, up to `maxAttempts`
// times in all; then the step is recorded as done without a message and the event moves on, so a
// broken channel can never wedge an event or the timer (a lecture that cannot be loaded runs with no
// questions). A failing store is retried every `retryDelayMs` without end: nothing can move on safely
// without it. Attempts are counted in memory, so a restart gives a step fresh attempts. Other events
// are never held up: each event advances on its own promise.
//
// One step of an event at a time: steps and a cancel of the same event take the event's lock, so a
// cancel never lands between posting a question and saving that it was posted.
//
// Several processes (one per shard) on one database: each runner drives only the events of the
// guilds its shard owns (`owns`), and runs each step holding the event's lock in the database
// (`stepLocks`), re-reading the event under it: two processes never run the same step, and a
// restarted shard process picks its events up from the store where the last one left them.
//
// Repeats keep their id: finishing an occurrence stores the next one (occurrence + 1) in the same
// record, so `/quizevent cancel <id>` stops the whole series and answer sheets are told apart by
// occurrence.
import type { Question } from '../content/types.js';
import { systemClock } from '../clock.js';
import type { QuestionRef } from '../quiz/answer.js';
import { questionFingerprint } from '../quiz/fingerprint.js';
import { GradedAnswers } from '../quiz/graded.js';
import type { GradedAnswer } from '../quiz/graded.js';
import type { StepLocks } from '../store/backend.js';
import { KeyedLock } from '../store/keyed-lock.js';
import { eventAwards } from './award.js';
import type { EventAward } from './award.js';
import { applyStep, nextStep, revealQuestion, selectQuestions } from './engine.js';
import type { DueStep, QuestionReveal, StepOutcome } from './engine.js';
import { isActive, isUnderWay } from './model.js';
import type { NewQuizEventInput, QuizEvent } from './model.js';
import { standings } from './standings.js';
import type { Standing } from './standings.js';
import type { CreateEventResult, EventStore } from './store.js';

/** A posted message's id, or nothing when the action posts none or does not track it. */
export type PostedMessage = string | null | undefined | void;

/** An event's questions: a lecture's, or a review night's with where each one comes from. */
export type LoadedQuestions =
  readonly Question[] | { questions: readonly Question[]; sources: readonly QuestionRef[] };

/** What the Discord layer does for the runner. Every method may throw; the runner logs and retries. */
export interface EventActions {
  /**
   * All questions of the event's lecture (or of `event.quizSet` for a quiz file), in order; for a
   * review night, the questions picked with their sources.
   */
  loadQuestions(event: QuizEvent): Promise<LoadedQuestions>;
  /** "Starting in N minutes" in the event's channel. */
  postReminder(event: QuizEvent): Promise<PostedMessage>;
  /** The lecture itself; `questions` are the ones that will be asked. */
  postIntro(event: QuizEvent, questions: readonly Question[]): Promise<PostedMessage>;
  /** The question with its answer buttons; answers are accepted until `closesAt`. */
  openQuestion(event: QuizEvent, index: number, question: Question, closesAt: number): Promise<PostedMessage>;
  /** Time's up: disable the buttons, show how the room voted and the correct answer. */
  closeQuestion(
    event: QuizEvent,
    index: number,
    reveal: QuestionReveal,
    question: Question,
  ): Promise<PostedMessage>;
  /** Everyone ranked; show the first `STANDINGS_SHOWN`. */
  postStandings(event: QuizEvent, ranked: readonly Standing[]): Promise<PostedMessage>;
  /** Optional: an occurrence ended; `next` is the repeat now scheduled (e.g. to create its Discord event). */
  occurrenceEnded?(ended: QuizEvent, next: QuizEvent | null): Promise<void>;
}

/** Where a finished occurrence's answers go: the server score, which counts each key once. */
export interface ScoreWriter {
  recordAnswer(award: EventAward): Promise<unknown>;
}

/** What a cancel leaves for the Discord layer to tell the channel. */
export interface CancelledEvent {
  event: QuizEvent;
  /** True when the event had started: the channel is told it stopped. */
  underWay: boolean;
  /** The question that was open when it was cancelled, to be shown closed with its buttons off. */
  openQuestion: { index: number; question: Question; messageId: string | null } | null;
}

export interface RunnerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RunnerLog {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}

export interface EventRunnerOptions {
  store: EventStore;
  actions: EventActions;
  scores: ScoreWriter;
  /** Told about every answer once it is in the score (review cards, results for teachers). */
  graded?: GradedAnswers;
  now?: () => number;
  timers?: RunnerTimers;
  log?: RunnerLog;
  /** Wait before retrying a failed step. */
  retryDelayMs?: number;
  /** Tries per step, the first included, before the runner moves on without it. */
  maxAttempts?: number;
  /** Whether this process drives the guild's events (its shard owns the guild); all by default. */
  owns?: (guildId: string) => boolean;
  /** The database lock each step runs under when other processes share the store. */
  stepLocks?: StepLocks;
}

/** The timer never sleeps longer than this: setTimeout caps at ~24.8 days, and it bounds clock drift. */
export const MAX_SLEEP_MS = 60 * 60_000;
export const DEFAULT_RETRY_DELAY_MS = 5_000;
export const DEFAULT_MAX_ATTEMPTS = 3;

const silentLog: RunnerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** One process: the in-process lock per event is all it takes. */
const unsharedStepLocks: StepLocks = {
  shared: false,
  run: async (_eventId, step) => ({ ran: true, value: await step() }),
};

interface Failure {
  step: string;
  attempts: number;
  retryAt: number;
}

export class EventRunner {
  private readonly store: EventStore;
  private readonly actions: EventActions;
  private readonly scores: ScoreWriter;
  private readonly graded: GradedAnswers;
  private readonly now: () => number;
  private readonly timers: RunnerTimers;
  private readonly log: RunnerLog;
  private readonly retryDelayMs: number;
  private readonly maxAttempts: number;
  private readonly owns: (guildId: string) => boolean;
  private readonly sharedLocks: StepLocks;

  /** Latest known state of every scheduled or running event. */
  private readonly events = new Map<string, QuizEvent>();
  private readonly busy = new Set<string>();
  private readonly failures = new Map<string, Failure>();
  private readonly inFlight = new Set<Promise<void>>();
  /** One step (or a cancel) of an event at a time. */
  private readonly stepLocks = new KeyedLock();
  private timer: unknown = null;
  private running = false;

  constructor(options: EventRunnerOptions) {
    this.store = options.store;
    this.actions = options.actions;
    this.scores = options.scores;
    this.graded = options.graded ?? new GradedAnswers();
    this.now = options.now ?? (() => Date.now());
    this.timers = options.timers ?? systemClock;
    this.log = options.log ?? silentLog;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.owns = options.owns ?? (() => true);
    this.sharedLocks = options.stepLocks ?? unsharedStepLocks;
  }

  /** Loads every scheduled and running event from the store and resumes them. */
  async start(): Promise<void> {
    if (this.running) return;
    for (const event of await this.store.listActive())
      if (this.owns(event.guildId)) this.events.set(event.id, event);
    this.running = true;
    this.log.info({ events: this.events.size }, 'quiz event runner started');
    this.wake();
  }

  /** Stops the timer and waits for steps in progress; the store keeps everything for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.clearTimer();
    await this.whenIdle();
    this.events.clear();
    this.failures.clear();
  }

  /** Creates the event in the store and arms the timer for it. */
  async schedule(input: NewQuizEventInput): Promise<CreateEventResult> {
    const result = await this.store.create(input, this.now());
    if (result.ok) {
      this.events.set(result.event.id, result.event);
      this.wake();
    }
    return result;
  }

  /**
   * Cancels a scheduled or running event, after any step of it under way: a question being posted
   * is posted and saved first, so what comes back names it. Its open question stops taking answers
   * and the answers given so far are dropped (they do not count). Undefined when there is no such
   * active event in that guild.
   */
  async cancel(id: string, guildId?: string): Promise<CancelledEvent | undefined> {
    return this.stepLocks.run(id, async () => {
      const cancelled = await this.store.cancel(id, guildId);
      if (cancelled === undefined) return undefined;
      this.events.delete(id);
      this.failures.delete(id);
      this.wake();
      const { progress } = cancelled;
      const question =
        progress.phase === 'question' ? cancelled.questions?.[progress.questionIndex] : undefined;
      if (question !== undefined) {
        // Waits for answers being written, then refuses every later click.
        await this.store.closeAnswers(id, cancelled.occurrence, progress.questionIndex);
      }
      await this.store.clearAnswers(id, cancelled.questions?.length ?? 0);
      return {
        event: cancelled,
        underWay: isUnderWay(cancelled),
        openQuestion:
          question === undefined
            ? null
            : {
                index: progress.questionIndex,
                question,
                messageId: progress.questionMessageIds[progress.questionIndex] ?? null,
              },
      };
    });
  }

  /** Records the Discord scheduled event that mirrors this one. */
  async setDiscordEventId(id: string, discordEventId: string | null): Promise<QuizEvent | undefined> {
    const updated = await this.store.update(id, (event) => ({ ...event, discordEventId }));
    this.remember(updated, id);
    return updated;
  }

  /** Re-reads an event changed in the store by someone else and re-arms the timer. */
  async reload(id: string): Promise<void> {
    this.remember(await this.store.get(id), id);
  }

  /** The events this runner is driving, soonest first. */
  activeEvents(): QuizEvent[] {
    return [...this.events.values()].sort((a, b) => a.startAt - b.startAt);
  }

  /** Resolves once no step is in progress (tests; a clean shutdown). */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  // ---- the loop ----

  private remember(event: QuizEvent | undefined, id: string): void {
    if (event !== undefined && isActive(event) && this.owns(event.guildId)) this.events.set(id, event);
    else this.events.delete(id);
    this.wake();
  }

  /** Starts every due event that is not already advancing, then sleeps until the earliest next step. */
  private wake(): void {
    if (!this.running) return;
    this.clearTimer();
    const now = this.now();
    let earliest = Number.POSITIVE_INFINITY;
    for (const event of [...this.events.values()]) {
      if (this.busy.has(event.id)) continue;
      const step = nextStep(event, now);
      if (step.action === 'none') {
        this.events.delete(event.id);
        continue;
      }
      const retryAt = this.failures.get(event.id)?.retryAt ?? 0;
      const dueAt = Math.max(step.at, retryAt);
      if (step.action !== 'wait' && dueAt <= now) this.launch(event.id);
      else earliest = Math.min(earliest, dueAt);
    }
    if (earliest !== Number.POSITIVE_INFINITY) {
      const delay = Math.min(Math.max(0, earliest - now), MAX_SLEEP_MS);
      this.timer = this.timers.setTimeout(() => {
        this.timer = null;
        this.wake();
      }, delay);
    }
  }

  private launch(id: string): void {
    this.busy.add(id);
    const work = this.advance(id)
      .catch((error: unknown) => this.log.error({ eventId: id, err: error }, 'quiz event step crashed'))
      .finally(() => {
        this.busy.delete(id);
        this.inFlight.delete(work);
        this.wake();
      });
    this.inFlight.add(work);
  }

  /** Runs this event's due steps one after another until it has to wait. */
  private async advance(id: string): Promise<void> {
    while (this.running) {
      const more = await this.stepLocks.run(id, async () => {
        // Looked up under the lock: a cancel that got there first has removed it.
        const known = this.events.get(id);
        if (known === undefined) return false;
        try {
          const locked = await this.sharedLocks.run(id, () => this.stepUnderLock(id, known));
          if (locked.ran) return locked.value;
          this.log.info({ eventId: id }, 'quiz event step is being run by another process; will look again');
        } catch (error) {
          // The lock or the fresh copy could not be had (the database is away): try again later.
          this.log.error({ eventId: id, err: error }, 'quiz event step could not start; will retry');
        }
        this.postpone(id);
        return false;
      });
      if (!more) return;
    }
  }

  /** The due step, if any, on the event as stored (another process may have moved it on). */
  private async stepUnderLock(id: string, known: QuizEvent): Promise<boolean> {
    const event = this.sharedLocks.shared ? await this.store.get(id) : known;
    if (event === undefined || !isActive(event)) {
      this.events.delete(id);
      return false;
    }
    this.events.set(id, event);
    const now = this.now();
    const step = nextStep(event, now);
    if (step.action === 'wait' || step.action === 'none') return false;
    const failure = this.failures.get(id);
    if (failure !== undefined && failure.step === stepKey(event, step) && failure.retryAt > now) return false;
    return this.perform(event, step);
  }

  /** Looks at the event again after the retry delay, without counting an attempt. */
  private postpone(id: string): void {
    const failure = this.failures.get(id);
    const retryAt = this.now() + this.retryDelayMs;
    this.failures.set(id, failure ? { ...failure, retryAt } : { step: '', attempts: 0, retryAt });
  }

  /** One step: the action, then the persisted outcome. False when it failed and will be retried. */
  private async perform(event: QuizEvent, step: DueStep): Promise<boolean> {
    const key = stepKey(event, step);
    const previous = this.failures.get(event.id);
    const attempt = previous?.step === key ? previous.attempts + 1 : 1;
    try {
      const outcome = await this.act(event, step, attempt >= this.maxAttempts);
      await this.commit(event, outcome);
      this.failures.delete(event.id);
      return true;
    } catch (error) {
      // Only store failures get here on the last attempt (actions give up instead), and without
      // the store nothing can move on safely: keep retrying.
      this.failures.set(event.id, { step: key, attempts: attempt, retryAt: this.now() + this.retryDelayMs });
      this.log.error(
        { eventId: event.id, step: key, attempt, err: error },
        'quiz event step failed; will retry',
      );
      return false;
    }
  }

  private async act(event: QuizEvent, step: DueStep, lastAttempt: boolean): Promise<StepOutcome> {
    // On the last attempt a failing action is logged and skipped, so the event carries on.
    const attempt = async <T>(call: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        if (!lastAttempt) throw error;
        this.log.error(
          { eventId: event.id, step: stepKey(event, step), err: error },
          'quiz event action failed for the last time; moving on without it',
        );
        return fallback;
      }
    };
    switch (step.action) {
      case 'post-reminder': {
        const posted = await attempt(() => this.actions.postReminder(event), null);
        return { action: 'post-reminder', messageId: messageId(posted) };
      }
      case 'post-intro': {
        const loaded = await attempt<LoadedQuestions>(() => this.actions.loadQuestions(event), []);
        const { questions, sources } =
          'questions' in loaded ? loaded : { questions: loaded, sources: undefined };
        const asked = selectQuestions(questions, event.questionLimit);
        // The intro of a review night names the lectures its questions come from.
        const introduced =
          sources === undefined
            ? event
            : { ...event, sources: selectQuestions(sources, event.questionLimit) };
        const posted = await attempt(() => this.actions.postIntro(introduced, asked), null);
        return {
          action: 'post-intro',
          messageId: messageId(posted),
          questions: asked,
          ...(sources === undefined ? {} : { sources }),
        };
      }
      case 'open-question':
        return this.openQuestion(event, step.questionIndex, attempt);
      case 'close-question':
        return this.closeQuestion(event, step.questionIndex, attempt);
      case 'post-standings': {
        const ranked = await this.rank(event);
        const posted = await attempt(() => this.actions.postStandings(event, ranked), null);
        return { action: 'post-standings', messageId: messageId(posted) };
      }
      case 'finish':
        if (!step.missed) await this.award(event);
        return { action: 'finish', missed: step.missed };
    }
  }

  private async openQuestion(event: QuizEvent, index: number, attempt: Attempt): Promise<StepOutcome> {
    const question = questionAt(event, index);
    const now = this.now();
    // The sheet exists before the message: a click can never arrive on a question not yet open.
    const sheet = await this.store.openAnswers(event, index, {
      openedAt: now,
      closesAt: now + event.secondsPerQuestion * 1000,
      answerCount: question.answers.length,
    });
    const posted = await attempt(
      () => this.actions.openQuestion(event, index, question, sheet.closesAt),
      null,
    );
    return {
      action: 'open-question',
      questionIndex: index,
      messageId: messageId(posted),
      openedAt: sheet.openedAt,
      closesAt: sheet.closesAt,
    };
  }

  private async closeQuestion(event: QuizEvent, index: number, attempt: Attempt): Promise<StepOutcome> {
    const question = questionAt(event, index);
    const sheet = await this.store.closeAnswers(event.id, event.occurrence, index);
    const reveal = revealQuestion(sheet, index, question);
    const posted = await attempt(() => this.actions.closeQuestion(event, index, reveal, question), null);
    return { action: 'close-question', questionIndex: index, messageId: messageId(posted) };
  }

  private async rank(event: QuizEvent): Promise<Standing[]> {
    const questions = event.questions ?? [];
    const sheets = await this.store.answerSheets(event.id, event.occurrence, questions.length);
    return standings(
      sheets.map((sheet) => sheet?.answers),
      questions.map((question) => question.correctIndex),
      event.secondsPerQuestion * 1000,
    );
  }

  /**
   * Every answer of the occurrence into the server score (a repeat after a crash adds nothing),
   * each then reported as a graded answer.
   */
  private async award(event: QuizEvent): Promise<void> {
    const sheets = await this.store.answerSheets(event.id, event.occurrence, event.questions?.length ?? 0);
    const byMember = eventAwards(event, sheets);
    await Promise.all(
      byMember.map(async (awards) => {
        for (const award of awards) {
          await this.scores.recordAnswer(award);
          await this.graded.report(gradedEventAnswer(event, award));
        }
      }),
    );
    this.log.info(
      { eventId: event.id, occurrence: event.occurrence, participants: byMember.length },
      'quiz event answers added to the server score',
    );
  }

  /** Writes the step's outcome onto the freshest stored copy (so a concurrent cancel or edit wins). */
  private async commit(event: QuizEvent, outcome: StepOutcome): Promise<void> {
    let saved = await this.store.update(event.id, (current) => applyStep(current, outcome, this.now()));
    // An ended occurrence is tidied up (its Discord event closed) while it is still listed as active,
    // so whoever sees it leave the list sees everything it did.
    if (outcome.action === 'finish') saved = await this.endOccurrence(event, saved, outcome.missed);
    if (saved !== undefined && isActive(saved) && this.events.has(event.id)) this.events.set(event.id, saved);
    else this.events.delete(event.id);
  }

  /** Logs the end, drops the answer sheets, tells the actions; returns the freshest record. Never throws. */
  private async endOccurrence(
    event: QuizEvent,
    saved: QuizEvent | undefined,
    missed: boolean,
  ): Promise<QuizEvent | undefined> {
    const next = saved !== undefined && saved.status === 'scheduled' ? saved : null;
    this.log.info(
      { eventId: event.id, occurrence: event.occurrence, missed, nextStartAt: next?.startAt },
      missed ? 'quiz event start missed; skipped' : 'quiz event finished',
    );
    try {
      await this.store.clearAnswers(event.id, event.questions?.length ?? 0);
      await this.actions.occurrenceEnded?.({ ...event, status: 'finished' }, next);
      // occurrenceEnded may have stored the next run's Discord event id.
      return next === null ? saved : ((await this.store.get(event.id)) ?? saved);
    } catch (error) {
      this.log.error({ eventId: event.id, err: error }, 'could not tidy up after a quiz event occurrence');
      return saved;
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * An event answer as a graded answer to its lecture's question: a lecture event's questions keep
 * lecture order; a review night's say where each comes from.
 */
function gradedEventAnswer(event: QuizEvent, award: EventAward): GradedAnswer {
  const question = event.questions?.[award.questionIndex];
  const source = event.sources?.[award.questionIndex];
  return {
    guildId: award.guildId,
    userId: award.userId,
    question: {
      lectureId: source?.lectureId ?? event.lectureId,
      set: source?.set ?? event.quizSet ?? 0,
      question: source?.question ?? award.questionIndex,
      fingerprint: question ? questionFingerprint(question) : '',
    },
    choice: award.choice,
    correct: award.correct,
    at: award.at,
    source: 'event',
    first: true,
    event: { id: event.id, occurrence: event.occurrence, question: award.questionIndex, ms: award.ms },
    ...(award.userName === undefined ? {} : { userName: award.userName }),
  };
}

type Attempt = <T>(call: () => Promise<T>, fallback: T) => Promise<T>;

function stepKey(event: QuizEvent, step: DueStep): string {
  const question = 'questionIndex' in step ? `:${step.questionIndex}` : '';
  return `${event.occurrence}:${step.action}${question}`;
}

function questionAt(event: QuizEvent, index: number): Question {
  const question = event.questions?.[index];
  if (question === undefined) throw new Error(`Quiz event ${event.id} has no question ${index}.`);
  return question;
}

function messageId(posted: PostedMessage): string | null {
  return typeof posted === 'string' ? posted : null;
}
