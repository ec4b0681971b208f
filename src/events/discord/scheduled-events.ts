// The Discord scheduled event that mirrors a quiz event, so members see it in the server's event
// list and get Discord's own "starting" notification. External events located at the channel:
// they need no voice channel, only the Manage Events (or Create Events) permission.
import {
  DiscordAPIError,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  Routes,
} from 'discord.js';
import type {
  APIGuildScheduledEvent,
  GuildScheduledEventStatus,
  Client,
  RESTPatchAPIGuildScheduledEventJSONBody,
  RESTPostAPIGuildScheduledEventJSONBody,
} from 'discord.js';
import type { QuizEvent } from '../model.js';
import { truncate } from '../../quiz/catalog.js';

/** Discord's limits for a scheduled event's name, description and location. */
const NAME_LIMIT = 100;
const DESCRIPTION_LIMIT = 1000;
const LOCATION_LIMIT = 100;

export interface ScheduledEventDetails {
  guildId: string;
  name: string;
  description: string;
  location: string;
  startAt: number;
  endAt: number;
}

/** When the event should be over: the intro, then each question and the pause after its reveal. */
export function expectedEndAt(
  event: Pick<QuizEvent, 'startAt' | 'introSeconds' | 'secondsPerQuestion' | 'revealSeconds'>,
  questionCount: number,
): number {
  const seconds = event.introSeconds + questionCount * (event.secondsPerQuestion + event.revealSeconds);
  // Discord wants the end strictly after the start.
  return event.startAt + Math.max(60, seconds) * 1000;
}

/** What the Discord event says; the quiz event need not be saved yet (it is created first). */
export function scheduledEventDetails(
  event: Pick<
    QuizEvent,
    'guildId' | 'channelId' | 'startAt' | 'introSeconds' | 'secondsPerQuestion' | 'revealSeconds'
  >,
  lectureTitle: string,
  questionCount: number,
  channelName: string | null,
): ScheduledEventDetails {
  const channelUrl = `https://discord.com/channels/${event.guildId}/${event.channelId}`;
  return {
    guildId: event.guildId,
    name: truncate(`Quiz: ${lectureTitle}`, NAME_LIMIT),
    description: truncate(
      `A timed quiz on "${lectureTitle}": ${questionCount} question${questionCount === 1 ? '' : 's'}, ` +
        `${event.secondsPerQuestion} seconds each, answered with buttons in ${channelUrl}. ` +
        'Right answers count first, then speed; the standings are posted at the end.',
      DESCRIPTION_LIMIT,
    ),
    location: truncate(channelName ? `#${channelName}` : channelUrl, LOCATION_LIMIT),
    startAt: event.startAt,
    endAt: expectedEndAt(event, questionCount),
  };
}

export class DiscordScheduledEvents {
  constructor(private readonly client: Client) {}

  /** Whether the bot may create and delete its own scheduled events in the guild. */
  canManage(guildId: string): boolean {
    const me = this.client.guilds.cache.get(guildId)?.members.me;
    return me?.permissions.any([PermissionFlagsBits.ManageEvents, PermissionFlagsBits.CreateEvents]) ?? false;
  }

  /** The new scheduled event's id; rejects with Discord's error (30038: the guild has 100 already). */
  async create(details: ScheduledEventDetails): Promise<string> {
    const body: RESTPostAPIGuildScheduledEventJSONBody = {
      name: details.name,
      description: details.description,
      privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
      entity_type: GuildScheduledEventEntityType.External,
      entity_metadata: { location: details.location },
      scheduled_start_time: new Date(details.startAt).toISOString(),
      scheduled_end_time: new Date(details.endAt).toISOString(),
    };
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- the REST client returns the raw JSON of the event it created
    const created = (await this.client.rest.post(Routes.guildScheduledEvents(details.guildId), {
      body,
    })) as APIGuildScheduledEvent;
    return created.id;
  }

  /** Deletes it; one already gone (deleted by hand, or ended) is not an error. */
  async remove(guildId: string, id: string): Promise<void> {
    await ignoreUnknown(this.client.rest.delete(Routes.guildScheduledEvent(guildId, id)));
  }

  /** Marks it started (when the quiz starts) or completed (when it ends). */
  async setStatus(
    guildId: string,
    id: string,
    status: GuildScheduledEventStatus.Active | GuildScheduledEventStatus.Completed,
  ): Promise<void> {
    const body: RESTPatchAPIGuildScheduledEventJSONBody = { status };
    await ignoreUnknown(this.client.rest.patch(Routes.guildScheduledEvent(guildId, id), { body }));
  }
}

export function isDiscordError(error: unknown, ...codes: number[]): error is DiscordAPIError {
  return error instanceof DiscordAPIError && typeof error.code === 'number' && codes.includes(error.code);
}

/** Discord says the bot may not do this here. */
export function isMissingPermission(error: unknown): boolean {
  return isDiscordError(error, RESTJSONErrorCodes.MissingAccess, RESTJSONErrorCodes.MissingPermissions);
}

async function ignoreUnknown(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (error) {
    if (!isDiscordError(error, RESTJSONErrorCodes.UnknownGuildScheduledEvent)) throw error;
  }
}
