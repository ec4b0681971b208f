// /quizevent flows: schedule (or start now), list, cancel. Every check runs before anything is
// saved or created, and a failure after the Discord event was made deletes it again, so a refusal
// leaves nothing half-made behind.
import { MessageFlags, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord.js';
import type { ChatInputCommandInteraction, PermissionsBitField } from 'discord.js';
import type { Lecture } from '../../content/types.js';
import { cutToLength } from '../../content/text-cut.js';
import type { NewQuizEventInput, QuizEvent, ReviewNight } from '../model.js';
import { DEFAULT_REVEAL_SECONDS, normalizeEventId } from '../model.js';
import { parseStartTime, reminderTime, validateEventOptions } from '../schedule.js';
import { MAX_EVENTS_PER_GUILD } from '../store.js';
import { pickSet, questionSets } from '../../quiz/catalog.js';
import type { BotContext } from '../../discord/command.js';
import { eventTitle, plannedQuestionCount } from './actions.js';
import { isDiscordError, isMissingPermission, scheduledEventDetails } from './scheduled-events.js';
import type { MessageView } from '../../discord/embeds.js';
import { eventCancelledReply, eventListMessage, eventScheduledReply, reviewNightTitle } from './render.js';
import {
  DEFAULT_REVIEW_DAYS,
  DEFAULT_REVIEW_NIGHT_QUESTIONS,
  MAX_REVIEW_DAYS,
  MIN_REVIEW_NIGHT_QUESTIONS,
  tooLittleHistory,
} from '../../study/review-night.js';
import type { EventSummary } from './render.js';
import { requireGuildId } from '../../discord/guild.js';
import { findLecture } from '../../quiz/discord/views.js';
import { UserError, respond } from '../../discord/respond.js';

export interface EventRequest {
  /** Null for a review night (or when the moderator gave none). */
  lecture: string | null;
  /** True: a review night of the server's most-missed questions, instead of a lecture. */
  review: boolean;
  /** A review night's window in days; null for the default. */
  days: number | null;
  /** What the moderator typed; null for /quizevent start (now). */
  start: string | null;
  timezone: string | null;
  /** The channel option; null for the channel the command was run in. */
  channel: { id: string; name: string | null } | null;
  seconds: number | null;
  questions: number | null;
  set: number | null;
  repeat: string | null;
  reminder: number | null;
}

/** What the bot needs in the event's channel to post and show embeds. */
const CHANNEL_PERMISSIONS = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
] as const;

export const MODERATORS_ONLY =
  'Only moderators with the **Manage Events** permission can run quiz events. Members join them by answering the questions in the channel.';

/** The command is hidden from members by default, but a server can change that: check again. */
export function requireModerator(interaction: {
  guildId: string | null;
  memberPermissions: Readonly<PermissionsBitField> | null;
}): string {
  const guildId = requireGuildId(interaction);
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageEvents))
    throw new UserError(MODERATORS_ONLY);
  return guildId;
}

export async function scheduleEvent(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  request: EventRequest,
): Promise<void> {
  const plan = await checkRequest(interaction, ctx, request);
  // Checks passed; creating the Discord event can take a moment, so answer Discord now.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const notes: string[] = [];
  const discordEventId =
    request.start === null
      ? null
      : await createDiscordEvent(ctx, plan.input, plan.title, plan.questionCount, plan.channel, notes);
  const event = await saveEvent(ctx, plan.input, discordEventId);
  notes.push(...plan.notes, ...scheduleNotes(event, plan.now));
  ctx.log.info(
    {
      guildId: event.guildId,
      eventId: event.id,
      lectureId: event.lectureId,
      review: plan.input.review,
      startAt: event.startAt,
      discordEventId,
    },
    request.start === null ? 'quiz event started' : 'quiz event scheduled',
  );
  await respond(interaction, {
    ...eventScheduledReply({ event, lectureTitle: plan.title, questionCount: plan.questionCount }, notes),
    ephemeral: true,
  });
}

/** What a checked request will create; nothing is saved or made on Discord yet. */
interface EventPlan {
  input: NewQuizEventInput;
  title: string;
  questionCount: number;
  channel: { id: string; name: string | null };
  now: number;
  /** What the moderator should know about it (a review night's picks). */
  notes: string[];
}

/** Every check before anything is saved: rights, questions, options, start, channel, the limit. */
async function checkRequest(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  request: EventRequest,
): Promise<EventPlan> {
  const guildId = requireModerator(interaction);
  const now = ctx.now();
  const source = request.review
    ? await reviewNightPlan(ctx, guildId, request, now)
    : await lecturePlan(ctx, guildId, request);
  const checked = validateEventOptions({
    seconds: request.seconds,
    questions: source.questions,
    repeat: request.repeat,
    reminderMinutes: request.reminder,
    introSeconds: ctx.events.introSeconds ?? null,
    ...(source.available === undefined ? {} : { availableQuestions: source.available }),
  });
  if (!checked.ok) throw new UserError(checked.error);
  const start = startOf(request, now);
  const channel = request.channel ?? { id: interaction.channelId, name: channelName(interaction) };
  checkChannel(interaction, channel.id);
  if ((await ctx.events.store.listByGuild(guildId)).length >= MAX_EVENTS_PER_GUILD) {
    throw new UserError(
      `This server already has ${MAX_EVENTS_PER_GUILD} upcoming quiz events, the most allowed. Cancel one before scheduling another.`,
    );
  }
  const input: NewQuizEventInput = {
    ...checked.options,
    guildId,
    channelId: channel.id,
    lectureId: source.lectureId,
    quizSet: source.quizSet,
    review: source.review,
    createdBy: interaction.user.id,
    startAt: start.at,
    zone: start.zone,
    ...(ctx.events.revealSeconds === undefined ? {} : { revealSeconds: ctx.events.revealSeconds }),
  };
  return {
    input,
    title: source.title,
    questionCount: source.questionCount(checked.options.questionLimit),
    channel,
    now,
    notes: source.notes,
  };
}

/** Saves the event; a failure deletes the Discord event made for it, so nothing is left half-made. */
async function saveEvent(
  ctx: BotContext,
  input: NewQuizEventInput,
  discordEventId: string | null,
): Promise<QuizEvent> {
  try {
    const result = await ctx.events.runner.schedule({ ...input, discordEventId });
    if (!result.ok) throw new UserError(result.error);
    return result.event;
  } catch (error) {
    if (discordEventId !== null) await removeDiscordEvent(ctx, input.guildId, discordEventId);
    throw error;
  }
}

/** What an event asks: one lecture's questions, or a review night's. */
interface QuestionPlan {
  title: string;
  lectureId: string;
  quizSet: number | null;
  review: ReviewNight | null;
  /** The questions option as validated (a review night has a default). */
  questions: number | null;
  /** Questions the lecture set offers; undefined for a review night (picked at the start). */
  available: number | undefined;
  /** How many questions the event is expected to ask, given the validated limit. */
  questionCount(limit: number | null): number;
  notes: string[];
}

async function lecturePlan(ctx: BotContext, guildId: string, request: EventRequest): Promise<QuestionPlan> {
  if (request.lecture === null) {
    throw new UserError(
      'Name a lecture, or set review:True for a review night of the questions this server missed most.',
    );
  }
  if (request.days !== null) {
    throw new UserError('The days option is for review nights: set review:True, or leave days empty.');
  }
  const lecture = await findLecture(ctx, guildId, request.lecture);
  const set = chooseSet(lecture, request.set, ctx.random);
  const available = questionSets(lecture)[set]?.length ?? 0;
  return {
    title: lecture.title,
    lectureId: lecture.id,
    quizSet: lecture.quizzes.length > 0 ? set : null,
    review: null,
    questions: request.questions,
    available,
    questionCount: (limit) => limit ?? available,
    notes: [],
  };
}

/** Refused when the server has too little history of misses; the questions are picked at the start. */
async function reviewNightPlan(
  ctx: BotContext,
  guildId: string,
  request: EventRequest,
  now: number,
): Promise<QuestionPlan> {
  if (request.lecture !== null) {
    throw new UserError(
      'Pick a lecture or review:True, not both: a review night takes the most-missed questions of every lecture.',
    );
  }
  if (request.set !== null)
    throw new UserError('A review night has no quiz set: leave the set option empty.');
  const days = request.days ?? DEFAULT_REVIEW_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_REVIEW_DAYS) {
    throw new UserError(`Days must be a whole number from 1 to ${MAX_REVIEW_DAYS} (got ${days}).`);
  }
  const limit = request.questions ?? DEFAULT_REVIEW_NIGHT_QUESTIONS;
  const picked = await ctx.events.reviewNight.pick(
    guildId,
    days,
    Math.max(limit, MIN_REVIEW_NIGHT_QUESTIONS),
    now,
  );
  const problem = tooLittleHistory(picked.questions.length, days);
  if (problem !== null) throw new UserError(problem);
  const review: ReviewNight = { days };
  const found = picked.questions.length;
  return {
    title: reviewNightTitle(review),
    lectureId: '',
    quizSet: null,
    review,
    questions: limit,
    available: undefined,
    questionCount: (validated) => Math.min(validated ?? limit, found),
    notes: [
      `🔁 The questions are picked when it starts, from what was missed by then. Right now it would ask ${Math.min(limit, found)}, from ${picked.lectureTitles.map((title) => `**${cutToLength(title, 100)}**`).join(', ')}.`,
    ],
  };
}

export async function listEvents(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const guildId = requireModerator(interaction);
  await respond(interaction, { ...(await eventListView(ctx, guildId, 0)), ephemeral: true });
}

/** One page of the guild's scheduled and running events, soonest first. */
export async function eventListView(ctx: BotContext, guildId: string, page: number): Promise<MessageView> {
  const events = await ctx.events.store.listByGuild(guildId);
  return eventListMessage(await Promise.all(events.map((event) => summarize(ctx, event))), page);
}

export async function cancelEvent(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  idText: string,
): Promise<void> {
  const guildId = requireModerator(interaction);
  const id = normalizeEventId(idText);
  if (id === null) {
    throw new UserError(
      `\`${cutToLength(idText, 40)}\` is not a quiz event id: ids are 6 letters and digits, as /quizevent list shows.`,
    );
  }
  // Telling Discord (the Discord event, the open question, the notice) can take a moment.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const cancelled = await ctx.events.runner.cancel(id, guildId);
  if (!cancelled) {
    throw new UserError(`No scheduled or running quiz event \`${id}\` in this server. See /quizevent list.`);
  }
  const notes = await ctx.events.actions.announceCancel(cancelled);
  ctx.log.info({ guildId, eventId: id }, 'quiz event cancelled');
  await respond(interaction, {
    ...eventCancelledReply(await summarize(ctx, cancelled.event), notes),
    ephemeral: true,
  });
}

async function summarize(ctx: BotContext, event: QuizEvent): Promise<EventSummary> {
  const catalog = await ctx.lectures.forGuild(event.guildId);
  return {
    event,
    lectureTitle: eventTitle(event, catalog),
    questionCount: plannedQuestionCount(event, catalog),
  };
}

function chooseSet(lecture: Lecture, requested: number | null, random: () => number): number {
  const set = pickSet(lecture, requested, random);
  if (set === null) {
    const count = questionSets(lecture).length;
    throw new UserError(`"${lecture.title}" has ${count} quiz set(s): pick a set from 1 to ${count}.`);
  }
  return set;
}

function startOf(request: EventRequest, now: number): { at: number; zone: string } {
  if (request.start === null) return { at: now, zone: 'UTC' };
  const parsed = parseStartTime(request.start, new Date(now), request.timezone ?? undefined);
  if (!parsed.ok) throw new UserError(parsed.error);
  return { at: parsed.at.getTime(), zone: parsed.zone };
}

function checkChannel(interaction: ChatInputCommandInteraction, channelId: string): void {
  const permissions = botPermissionsIn(interaction, channelId);
  // Unknown (the channel is not cached): posting will tell, and the runner retries then moves on.
  if (permissions === null) return;
  const missing = CHANNEL_PERMISSIONS.filter(([flag]) => !permissions.has(flag)).map(([, name]) => name);
  if (missing.length > 0) {
    throw new UserError(
      `I can't run a quiz in <#${channelId}>: I need ${missing.join(', ')} there. ` +
        'Ask an admin to grant them, or pick another channel. Nothing was scheduled.',
    );
  }
}

/** Discord's own figure for the channel the command ran in; the cached member's for another. */
function botPermissionsIn(
  interaction: ChatInputCommandInteraction,
  channelId: string,
): Readonly<PermissionsBitField> | null {
  if (channelId === interaction.channelId) return interaction.appPermissions;
  try {
    return interaction.guild?.members.me?.permissionsIn(channelId) ?? null;
  } catch {
    return null;
  }
}

function channelName(interaction: ChatInputCommandInteraction): string | null {
  const channel = interaction.channel;
  return channel !== null && 'name' in channel && typeof channel.name === 'string' ? channel.name : null;
}

/** The Discord event's id, or null with a note saying why there is none. */
async function createDiscordEvent(
  ctx: BotContext,
  input: NewQuizEventInput,
  title: string,
  questionCount: number,
  channel: { id: string; name: string | null },
  notes: string[],
): Promise<string | null> {
  const noPermission =
    'No Discord event was created: I need the **Manage Events** permission in this server to make one. The quiz will run anyway.';
  if (!ctx.events.scheduled.canManage(input.guildId)) {
    notes.push(noPermission);
    return null;
  }
  const details = scheduledEventDetails(
    { ...input, revealSeconds: input.revealSeconds ?? DEFAULT_REVEAL_SECONDS },
    title,
    questionCount,
    channel.name,
  );
  try {
    const id = await ctx.events.scheduled.create(details);
    notes.push('📅 A Discord event was created too: members see it under Events and can ask to be notified.');
    return id;
  } catch (error) {
    if (isDiscordError(error, RESTJSONErrorCodes.MaximumNumberOfUncompletedGuildScheduledEventsReached)) {
      throw new UserError(
        'This server has 100 upcoming Discord events, the most Discord allows, so I did not schedule the quiz. ' +
          'End or delete a Discord event (or cancel a quiz event) and try again.',
      );
    }
    if (isMissingPermission(error)) {
      notes.push(noPermission);
      return null;
    }
    ctx.log.warn({ guildId: input.guildId, err: error }, 'Discord refused the scheduled event');
    notes.push('No Discord event was created: Discord refused it just now. The quiz will run anyway.');
    return null;
  }
}

/** True when it is gone (or was already); failures are logged, never thrown. */
async function removeDiscordEvent(
  ctx: BotContext,
  guildId: string,
  discordEventId: string,
): Promise<boolean> {
  try {
    await ctx.events.scheduled.remove(guildId, discordEventId);
    return true;
  } catch (error) {
    ctx.log.warn({ guildId, discordEventId, err: error }, 'could not delete a Discord scheduled event');
    return false;
  }
}

function scheduleNotes(event: QuizEvent, now: number): string[] {
  const notes: string[] = [];
  const remindAt = reminderTime(new Date(event.startAt), event.reminderMinutes)?.getTime();
  if (remindAt !== undefined && remindAt < now && event.startAt > now) {
    notes.push(
      `The reminder time (${event.reminderMinutes} min before) has already passed: no reminder this time.`,
    );
  }
  if (event.repeat !== 'none' && !event.zone.includes('/')) {
    notes.push(
      `Repeats follow ${event.zone}, which has no daylight saving. Set the timezone option (such as Europe/Berlin) to keep the local time across clock changes.`,
    );
  }
  return notes;
}
