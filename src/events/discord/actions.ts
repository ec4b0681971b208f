// The Discord side of a running quiz event: what the EventRunner calls at each step. Messages go
// out through the REST client (queued under Discord's rate limits); each question costs one post
// and one edit whatever the number of clicks, since clicks are answered privately.
import { GuildScheduledEventStatus, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { APIMessage, Client } from 'discord.js';
import type { Question } from '../../content/types.js';
import type { QuestionReveal, Standing } from '../engine.js';
import type { QuizEvent } from '../model.js';
import type { EventActions } from '../runner.js';
import type { EventStore } from '../store.js';
import type { Logger } from '../../logger.js';
import type { Catalog } from '../../quiz/catalog.js';
import { questionSets } from '../../quiz/catalog.js';
import type { QuizStore } from '../../store/index.js';
import type { DiscordScheduledEvents } from './scheduled-events.js';
import { isDiscordError, scheduledEventDetails } from './scheduled-events.js';
import {
  eventIntroMessage,
  eventQuestionMessage,
  eventReminderMessage,
  eventRevealMessage,
  eventStandingsMessage,
} from './render.js';
import type { MessageView } from '../../discord/embeds.js';

/** A right event answer adds this to the server score, like a right answer to a posted quiz. */
export const POINTS_PER_EVENT_ANSWER = 1;

export interface DiscordEventActionsDeps {
  client: Client;
  catalog: Catalog;
  quizStore: QuizStore;
  eventStore: EventStore;
  scheduled: DiscordScheduledEvents;
  log: Logger;
  now: () => number;
  /** Stores a repeat's new Discord event id (through the runner, so its copy of the event stays current). */
  setDiscordEventId(eventId: string, discordEventId: string | null): Promise<unknown>;
}

export class DiscordEventActions implements EventActions {
  constructor(private readonly deps: DiscordEventActionsDeps) {}

  loadQuestions(event: QuizEvent): Promise<readonly Question[]> {
    const lecture = this.deps.catalog.get(event.lectureId);
    const questions = lecture ? questionSets(lecture)[event.quizSet ?? 0] : undefined;
    if (!questions) {
      return Promise.reject(
        new Error(`lecture ${event.lectureId} (set ${(event.quizSet ?? 0) + 1}) is no longer available`),
      );
    }
    return Promise.resolve(questions);
  }

  postReminder(event: QuizEvent): Promise<string> {
    return this.post(
      event.channelId,
      eventReminderMessage(event, this.title(event), plannedQuestionCount(event, this.deps.catalog)),
    );
  }

  async postIntro(event: QuizEvent, questions: readonly Question[]): Promise<string> {
    const firstQuestionAt = this.deps.now() + event.introSeconds * 1000;
    const lecture = this.deps.catalog.get(event.lectureId);
    const posted = await this.post(
      event.channelId,
      eventIntroMessage(event, lecture, questions, firstQuestionAt),
    );
    if (event.discordEventId !== null) {
      await this.quietly(event, 'mark the Discord event started', () =>
        this.deps.scheduled.setStatus(event.guildId, event.discordEventId!, GuildScheduledEventStatus.Active),
      );
    }
    return posted;
  }

  openQuestion(event: QuizEvent, index: number, question: Question, closesAt: number): Promise<string> {
    const at = { event, index, total: event.questions?.length ?? index + 1 };
    return this.post(event.channelId, eventQuestionMessage(question, at, closesAt));
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
    if (messageId) {
      try {
        await this.deps.client.rest.patch(Routes.channelMessage(event.channelId, messageId), { body: view });
        return messageId;
      } catch (error) {
        if (!isDiscordError(error, RESTJSONErrorCodes.UnknownMessage)) throw error;
      }
    }
    return this.post(event.channelId, view);
  }

  postStandings(event: QuizEvent, ranked: readonly Standing[]): Promise<string> {
    return this.post(event.channelId, eventStandingsMessage(event, this.title(event), ranked));
  }

  /**
   * Every event answer becomes an answer in the server score, under a question key unique to this
   * occurrence and question: the store records each exactly once, so a replay after a crash adds
   * nothing, and /quiz score counts event answers like any other.
   */
  async awardPoints(event: QuizEvent, _ranked: readonly Standing[], awardId: string): Promise<void> {
    const questions = event.questions ?? [];
    const sheets = await this.deps.eventStore.answerSheets(event.id, event.occurrence, questions.length);
    const byUser = new Map<string, { index: number; choice: number; at: number }[]>();
    sheets.forEach((sheet, index) => {
      for (const [userId, answer] of Object.entries(sheet?.answers ?? {})) {
        const list = byUser.get(userId) ?? [];
        list.push({ index, choice: answer.choice, at: answer.at });
        byUser.set(userId, list);
      }
    });
    // In question order per member, so streaks read as the member lived them.
    await Promise.all(
      [...byUser].map(async ([userId, answers]) => {
        for (const answer of answers) {
          await this.deps.quizStore.recordAnswer({
            guildId: event.guildId,
            userId,
            questionKey: `event:${awardId}:${answer.index}`,
            choice: answer.choice,
            correct: answer.choice === questions[answer.index]?.correctIndex,
            at: answer.at,
            points: POINTS_PER_EVENT_ANSWER,
          });
        }
      }),
    );
    this.deps.log.info(
      { eventId: event.id, awardId, participants: byUser.size },
      'quiz event answers added to the server score',
    );
  }

  /** Closes this run's Discord event and, for a repeat, announces the next run with a new one. */
  async occurrenceEnded(ended: QuizEvent, next: QuizEvent | null): Promise<void> {
    const { scheduled } = this.deps;
    const discordEventId = ended.discordEventId;
    if (discordEventId !== null) {
      const ran = ['intro', 'question', 'reveal', 'standings'].includes(ended.progress.phase);
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
          this.title(next),
          plannedQuestionCount(next, this.deps.catalog),
          this.channelName(next.channelId),
        );
        nextId = await scheduled.create(details);
      });
    }
    await this.deps.setDiscordEventId(next.id, nextId);
  }

  private async post(channelId: string, view: MessageView): Promise<string> {
    // Embeds never ping, but say so anyway: an event message must never mention the whole room.
    const body = { ...view, allowed_mentions: { parse: [] } };
    const message = (await this.deps.client.rest.post(Routes.channelMessages(channelId), {
      body,
    })) as APIMessage;
    return message.id;
  }

  private title(event: QuizEvent): string {
    return this.deps.catalog.get(event.lectureId)?.title ?? event.lectureId;
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

/** How many questions an event will ask, before its intro fixes the list. */
export function plannedQuestionCount(
  event: Pick<QuizEvent, 'lectureId' | 'quizSet' | 'questionLimit' | 'questions'>,
  catalog: Catalog,
): number {
  if (event.questions !== null) return event.questions.length;
  const lecture = catalog.get(event.lectureId);
  const available = lecture ? (questionSets(lecture)[event.quizSet ?? 0]?.length ?? 0) : 0;
  return event.questionLimit === null ? available : Math.min(event.questionLimit, available);
}
