// The Discord side of a running quiz event: what the EventRunner calls at each step, and what a
// cancel leaves to tell the channel. Messages go out through the REST client (queued under
// Discord's rate limits); each question costs one post and one edit whatever the number of clicks,
// since clicks are answered privately. Every post carries the step's nonce (eventMessageNonce), so
// a step repeated after a crash gets the message already made back instead of posting it twice.
import { GuildScheduledEventStatus, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { APIMessage, Client } from 'discord.js';
import type { Question } from '../../content/types.js';
import type { QuestionReveal } from '../engine.js';
import { eventMessageNonce, isUnderWay } from '../model.js';
import type { EventMessageKind, QuizEvent } from '../model.js';
import type { CancelledEvent, EventActions } from '../runner.js';
import type { Standing } from '../standings.js';
import type { Logger } from '../../logger.js';
import type { Catalog } from '../../quiz/catalog.js';
import type { LectureSource } from '../../quiz/lectures.js';
import { questionSets } from '../../quiz/catalog.js';
import { DEFAULT_REVIEW_NIGHT_QUESTIONS } from '../../study/review-night.js';
import type { ReviewNightQuestions } from '../../study/review-night.js';
import type { LoadedQuestions } from '../runner.js';
import type { DiscordScheduledEvents } from './scheduled-events.js';
import { isDiscordError, scheduledEventDetails } from './scheduled-events.js';
import {
  eventCancelledNotice,
  eventCancelledQuestionMessage,
  eventIntroMessage,
  eventQuestionMessage,
  eventReminderMessage,
  eventRevealMessage,
  eventStandingsMessage,
  reviewNightIntroMessage,
  reviewNightTitle,
} from './render.js';
import type { MessageView } from '../../discord/embeds.js';

export interface DiscordEventActionsDeps {
  client: Client;
  lectures: LectureSource;
  scheduled: DiscordScheduledEvents;
  log: Logger;
  now: () => number;
  /** Stores a repeat's new Discord event id (through the runner, so its copy of the event stays current). */
  setDiscordEventId(eventId: string, discordEventId: string | null): Promise<unknown>;
  /** Picks a review night's questions when it starts (without it, review nights cannot run). */
  reviewNight?: ReviewNightQuestions;
}

export class DiscordEventActions implements EventActions {
  constructor(private readonly deps: DiscordEventActionsDeps) {}

  async loadQuestions(event: QuizEvent): Promise<LoadedQuestions> {
    if (event.review) {
      if (this.deps.reviewNight === undefined) throw new Error('review nights are not wired in');
      const limit = event.questionLimit ?? DEFAULT_REVIEW_NIGHT_QUESTIONS;
      const picked = await this.deps.reviewNight.pick(
        event.guildId,
        event.review.days,
        limit,
        this.deps.now(),
      );
      return { questions: picked.questions, sources: picked.sources };
    }
    const lecture = (await this.catalogOf(event)).get(event.lectureId);
    const questions = lecture ? questionSets(lecture)[event.quizSet ?? 0] : undefined;
    if (!questions) {
      throw new Error(`lecture ${event.lectureId} (set ${(event.quizSet ?? 0) + 1}) is no longer available`);
    }
    return questions;
  }

  async postReminder(event: QuizEvent): Promise<string> {
    return this.post(
      event,
      eventReminderMessage(
        event,
        await this.title(event),
        plannedQuestionCount(event, await this.catalogOf(event)),
      ),
      'reminder',
    );
  }

  async postIntro(event: QuizEvent, questions: readonly Question[]): Promise<string> {
    const firstQuestionAt = this.deps.now() + event.introSeconds * 1000;
    const lecture = (await this.catalogOf(event)).get(event.lectureId);
    const view = event.review
      ? reviewNightIntroMessage(
          event,
          event.review,
          await this.sourceTitles(event),
          questions,
          firstQuestionAt,
        )
      : eventIntroMessage(event, lecture, questions, firstQuestionAt);
    const posted = await this.post(event, view, 'intro');
    const discordEventId = event.discordEventId;
    if (discordEventId !== null) {
      await this.quietly(event, 'mark the Discord event started', () =>
        this.deps.scheduled.setStatus(event.guildId, discordEventId, GuildScheduledEventStatus.Active),
      );
    }
    return posted;
  }

  async openQuestion(event: QuizEvent, index: number, question: Question, closesAt: number): Promise<string> {
    const source = event.sources?.[index];
    const at = {
      event,
      index,
      total: event.questions?.length ?? index + 1,
      ...(source
        ? { from: (await this.catalogOf(event)).get(source.lectureId)?.title ?? source.lectureId }
        : {}),
    };
    return this.post(event, eventQuestionMessage(question, at, closesAt), 'question', index);
  }

  /** One edit of the question message; a new message only when that one is gone. */
  async closeQuestion(
    event: QuizEvent,
    index: number,
    reveal: QuestionReveal,
    question: Question,
  ): Promise<string> {
    const view = eventRevealMessage(question, { event, index, total: event.questions?.length ?? 1 }, reveal);
    const messageId = event.progress.questionMessageIds[index];
    if (messageId && (await this.edit(event.channelId, messageId, view))) return messageId;
    return this.post(event, view, 'reveal', index);
  }

  async postStandings(event: QuizEvent, ranked: readonly Standing[]): Promise<string> {
    return this.post(event, eventStandingsMessage(event, await this.title(event), ranked), 'standings');
  }

  /** Closes this run's Discord event and, for a repeat, announces the next run with a new one. */
  async occurrenceEnded(ended: QuizEvent, next: QuizEvent | null): Promise<void> {
    const { scheduled } = this.deps;
    const discordEventId = ended.discordEventId;
    if (discordEventId !== null) {
      const ran = isUnderWay(ended);
      await this.quietly(ended, 'close the Discord event', () =>
        ran
          ? scheduled.setStatus(ended.guildId, discordEventId, GuildScheduledEventStatus.Completed)
          : scheduled.remove(ended.guildId, discordEventId),
      );
    }
    if (next === null) return;
    let nextId: string | null = null;
    if (scheduled.canManage(next.guildId)) {
      await this.quietly(next, 'create the Discord event for the next run', async () => {
        const details = scheduledEventDetails(
          next,
          await this.title(next),
          plannedQuestionCount(next, await this.catalogOf(next)),
          this.channelName(next.channelId),
        );
        nextId = await scheduled.create(details);
      });
    }
    await this.deps.setDiscordEventId(next.id, nextId);
  }

  /**
   * What a cancel leaves for the channel: its Discord event removed, the open question shown closed
   * with its buttons off, and a notice when it was under way. Each part is tried even when another
   * fails; the returned notes say what could not be done.
   */
  async announceCancel(cancelled: CancelledEvent): Promise<string[]> {
    const { event, openQuestion } = cancelled;
    const notes: string[] = [];
    const discordEventId = event.discordEventId;
    if (discordEventId !== null) {
      try {
        await this.deps.scheduled.remove(event.guildId, discordEventId);
        notes.push('Its Discord event was cancelled too.');
      } catch (error) {
        this.deps.log.warn({ eventId: event.id, err: error }, 'could not delete the Discord scheduled event');
        notes.push("I could not remove its Discord event: delete it from the server's Events list.");
      }
    }
    if (openQuestion?.messageId) {
      const view = eventCancelledQuestionMessage(openQuestion.question, {
        event,
        index: openQuestion.index,
        total: event.questions?.length ?? openQuestion.index + 1,
      });
      const edited = await this.edit(event.channelId, openQuestion.messageId, view).catch(
        (error: unknown) => {
          this.deps.log.warn({ eventId: event.id, err: error }, 'could not close the open question');
          return true;
        },
      );
      if (!edited) this.deps.log.info({ eventId: event.id }, 'the open question was already deleted');
    }
    if (cancelled.underWay) {
      await this.post(event, eventCancelledNotice(event, await this.title(event)), 'cancelled').catch(
        (error: unknown) =>
          this.deps.log.warn({ eventId: event.id, err: error }, 'could not post the cancel notice'),
      );
    }
    return notes;
  }

  private async post(
    event: QuizEvent,
    view: MessageView,
    kind: EventMessageKind,
    index?: number,
  ): Promise<string> {
    const body = {
      ...view,
      // Embeds never ping, but say so anyway: an event message must never mention the whole room.
      allowed_mentions: { parse: [] },
      nonce: eventMessageNonce(event, kind, index),
      enforce_nonce: true,
    };
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- the REST client returns the raw JSON of the message it created
    const message = (await this.deps.client.rest.post(Routes.channelMessages(event.channelId), {
      body,
    })) as APIMessage;
    return message.id;
  }

  /** Edits a posted message; false when it no longer exists (deleted by a moderator). */
  private async edit(channelId: string, messageId: string, view: MessageView): Promise<boolean> {
    try {
      await this.deps.client.rest.patch(Routes.channelMessage(channelId, messageId), { body: view });
      return true;
    } catch (error) {
      if (isDiscordError(error, RESTJSONErrorCodes.UnknownMessage)) return false;
      throw error;
    }
  }

  /** The lectures the event's server sees. */
  private catalogOf(event: QuizEvent): Promise<Catalog> {
    return this.deps.lectures.forGuild(event.guildId);
  }

  private async title(event: QuizEvent): Promise<string> {
    return eventTitle(event, await this.catalogOf(event));
  }

  /** The lectures a started review night's questions come from, in order of first appearance. */
  private async sourceTitles(event: QuizEvent): Promise<string[]> {
    const titles: string[] = [];
    const catalog = await this.catalogOf(event);
    for (const source of event.sources ?? []) {
      const title = catalog.get(source.lectureId)?.title ?? source.lectureId;
      if (!titles.includes(title)) titles.push(title);
    }
    return titles;
  }

  private channelName(channelId: string): string | null {
    const channel = this.deps.client.channels.cache.get(channelId);
    return channel !== undefined && 'name' in channel && typeof channel.name === 'string'
      ? channel.name
      : null;
  }

  /** The Discord scheduled event is a courtesy: failing to update it must not hold up the quiz. */
  private async quietly(event: QuizEvent, what: string, task: () => Promise<unknown>): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.deps.log.warn({ eventId: event.id, err: error }, `could not ${what}`);
    }
  }
}

/** What an event is called: its lecture's title, or "Review night". */
export function eventTitle(event: Pick<QuizEvent, 'lectureId' | 'review'>, catalog: Catalog): string {
  if (event.review) return reviewNightTitle(event.review);
  return catalog.get(event.lectureId)?.title ?? event.lectureId;
}

/**
 * How many questions an event will ask, before its intro fixes the list. For a review night, the
 * most it will ask: its questions are picked when it starts.
 */
export function plannedQuestionCount(
  event: Pick<QuizEvent, 'lectureId' | 'quizSet' | 'questionLimit' | 'questions' | 'review'>,
  catalog: Catalog,
): number {
  if (event.questions !== null) return event.questions.length;
  if (event.review) return event.questionLimit ?? DEFAULT_REVIEW_NIGHT_QUESTIONS;
  const lecture = catalog.get(event.lectureId);
  const available = lecture ? (questionSets(lecture)[event.quizSet ?? 0]?.length ?? 0) : 0;
  return event.questionLimit === null ? available : Math.min(event.questionLimit, available);
}
