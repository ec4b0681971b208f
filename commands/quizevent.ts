// /quizevent: moderators schedule (a lecture, or a review night), list, cancel or start timed quiz
// events. Thin: reads the options and hands over to the quiz-event feature (src/events/discord/),
// which also owns the event buttons.
import { ChannelType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { ChatInputCommandInteraction, SlashCommandSubcommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { lectureOption } from './options.js';
import { eventButtons } from '../src/events/discord/buttons.js';
import { eventIdChoices, timezoneChoices } from '../src/events/discord/autocomplete.js';
import { cancelEvent, listEvents, scheduleEvent } from '../src/events/discord/manage.js';
import type { EventRequest } from '../src/events/discord/manage.js';
import { DEFAULT_REVIEW_DAYS, MAX_REVIEW_DAYS } from '../src/study/review-night.js';
import {
  MAX_REMINDER_MINUTES,
  MAX_SECONDS_PER_QUESTION,
  MIN_SECONDS_PER_QUESTION,
} from '../src/events/schedule.js';

/** Text channels and announcement channels: where the bot can post questions with buttons. */
const POSTABLE_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

/** The options /quizevent schedule and /quizevent start share, after their required ones. */
function runOptions(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
    .addChannelOption((option) =>
      option
        .setName('channel')
        .setDescription('Where to run it (this channel when empty)')
        .addChannelTypes(...POSTABLE_CHANNELS),
    )
    .addIntegerOption((option) =>
      option
        .setName('seconds')
        .setDescription('Seconds per question (30 when empty)')
        .setMinValue(MIN_SECONDS_PER_QUESTION)
        .setMaxValue(MAX_SECONDS_PER_QUESTION),
    )
    .addIntegerOption((option) =>
      option
        .setName('questions')
        .setDescription('Ask only the first N questions')
        .setMinValue(1)
        .setMaxValue(100),
    )
    .addIntegerOption((option) =>
      option
        .setName('set')
        .setDescription('For quiz files: which quiz set (random when empty)')
        .setMinValue(1),
    );
}

const data = new SlashCommandBuilder()
  .setName('quizevent')
  .setDescription('Timed quiz events for the whole channel (moderators)')
  .setContexts(InteractionContextType.Guild)
  // Hidden from members by default; checked again when run, since servers can change who sees it.
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageEvents)
  .addSubcommand((sub) =>
    runOptions(
      // Discord lists required options first: the start time, then the lecture (optional, since a
      // review night takes its questions from every lecture).
      lectureOption(
        sub
          .setName('schedule')
          .setDescription('Schedule a quiz event')
          .addStringOption((option) =>
            option
              .setName('start')
              .setDescription(
                'When: "in 10m", "in 2h", "2026-12-01T18:00+01:00" or "2026-12-01 18:00 Europe/Berlin"',
              )
              .setRequired(true)
              .setMaxLength(100),
          ),
        false,
        'Lecture title or id (leave empty for a review night)',
      ),
    )
      .addStringOption((option) =>
        option
          .setName('repeat')
          .setDescription('Run it again every day or week (none when empty)')
          .addChoices(
            { name: 'none', value: 'none' },
            { name: 'daily', value: 'daily' },
            { name: 'weekly', value: 'weekly' },
          ),
      )
      .addStringOption((option) =>
        option
          .setName('timezone')
          .setDescription(
            'IANA time zone for the start time and repeats, such as Europe/Berlin (UTC when empty)',
          )
          .setAutocomplete(true)
          .setMaxLength(64),
      )
      .addIntegerOption((option) =>
        option
          .setName('reminder')
          .setDescription('Minutes before the start to post a reminder (10 when empty, 0 for none)')
          .setMinValue(0)
          .setMaxValue(MAX_REMINDER_MINUTES),
      )
      .addBooleanOption((option) =>
        option
          .setName('review')
          .setDescription("A review night: this server's most-missed questions, across lectures"),
      )
      .addIntegerOption((option) =>
        option
          .setName('days')
          .setDescription(`Review night: misses of the last N days (${DEFAULT_REVIEW_DAYS} when empty)`)
          .setMinValue(1)
          .setMaxValue(MAX_REVIEW_DAYS),
      ),
  )
  .addSubcommand((sub) =>
    runOptions(lectureOption(sub.setName('start').setDescription('Start a quiz event now'))),
  )
  .addSubcommand((sub) => sub.setName('list').setDescription('Upcoming and running quiz events'))
  .addSubcommand((sub) =>
    sub
      .setName('cancel')
      .setDescription('Cancel a quiz event (a repeating one stops for good)')
      .addStringOption((option) =>
        option
          .setName('id')
          .setDescription('The event id from /quizevent list')
          .setRequired(true)
          .setAutocomplete(true)
          .setMaxLength(20),
      ),
  );

function eventRequest(interaction: ChatInputCommandInteraction, startsNow: boolean): EventRequest {
  const options = interaction.options;
  const channel = options.getChannel('channel', false, [...POSTABLE_CHANNELS]);
  return {
    lecture: startsNow ? options.getString('lecture', true) : options.getString('lecture'),
    review: startsNow ? false : (options.getBoolean('review') ?? false),
    days: startsNow ? null : options.getInteger('days'),
    start: startsNow ? null : options.getString('start', true),
    timezone: startsNow ? null : options.getString('timezone'),
    channel: channel === null ? null : { id: channel.id, name: channel.name },
    seconds: options.getInteger('seconds'),
    questions: options.getInteger('questions'),
    set: options.getInteger('set'),
    repeat: startsNow ? null : options.getString('repeat'),
    reminder: startsNow ? 0 : options.getInteger('reminder'),
  };
}

export const quizEventCommand = {
  data,
  async execute(interaction, ctx) {
    switch (interaction.options.getSubcommand()) {
      case 'schedule':
        return scheduleEvent(interaction, ctx, eventRequest(interaction, false));
      case 'start':
        return scheduleEvent(interaction, ctx, eventRequest(interaction, true));
      case 'list':
        return listEvents(interaction, ctx);
      case 'cancel':
        return cancelEvent(interaction, ctx, interaction.options.getString('id', true));
      default:
        throw new Error(`unknown subcommand ${interaction.options.getSubcommand()}`);
    }
  },
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    // Members never see the command, but autocomplete must not list a server's events to them either.
    const moderator = interaction.memberPermissions?.has(PermissionFlagsBits.ManageEvents) ?? false;
    switch (focused.name) {
      case 'lecture':
        return interaction.respond(
          interaction.guildId
            ? (await ctx.lectures.forAutocomplete(interaction.guildId)).autocomplete(focused.value)
            : [],
        );
      case 'timezone':
        return interaction.respond(timezoneChoices(focused.value));
      case 'id':
        return interaction.respond(
          moderator && interaction.guildId
            ? await eventIdChoices(ctx, interaction.guildId, focused.value)
            : [],
        );
      default:
        return interaction.respond([]);
    }
  },
  buttons: eventButtons,
} satisfies Command;

export default quizEventCommand;
