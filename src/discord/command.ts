// What a slash command module exports, and what every handler is given. General on purpose:
// every command (/quiz, /quizevent) plugs in the same way.
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { EventRunner } from '../events/runner.js';
import type { EventStore } from '../events/store.js';
import type { Logger } from '../logger.js';
import type { GradedAnswers } from '../quiz/graded.js';
import type { LectureSource } from '../quiz/lectures.js';
import type { QuizStore } from '../store/index.js';
import type { ReviewNightQuestions } from '../study/review-night.js';
import type { Study } from '../study/study.js';
import type { DiscordEventActions } from '../events/discord/actions.js';
import type { DiscordScheduledEvents } from '../events/discord/scheduled-events.js';
import type { CustomIdKind, QuizCustomId } from './custom-id.js';
import type { Library } from '../library/library.js';
import type { StatsStore } from '../stats/store.js';

export interface BotContext {
  /** The lectures each server sees. */
  lectures: LectureSource;
  /** Where every graded answer is reported once stored (review cards, results for teachers). */
  graded: GradedAnswers;
  store: QuizStore;
  log: Logger;
  /** Picks a quiz set when none is asked for; replaceable for tests. */
  random: () => number;
  /** Epoch milliseconds; replaceable for tests. */
  now: () => number;
  events: EventServices;
  /** Practice, review cards and progress (src/study). */
  study: Study;
  /** Each server's own lectures (/lecture). */
  library: Library;
  /** Results for teachers (/quizstats), counted as answers are graded. */
  stats: StatsStore;
}

/** What /quizevent and event answer buttons work with. */
export interface EventServices {
  store: EventStore;
  runner: EventRunner;
  /** What the bot does on Discord for events: posts, edits, and what a cancel leaves to tell. */
  actions: DiscordEventActions;
  scheduled: DiscordScheduledEvents;
  /** The server's most-missed questions, for review nights. */
  reviewNight: ReviewNightQuestions;
  /** Reading time after the lecture; undefined for the default. Tests shorten it. */
  introSeconds?: number;
  /** Pause after each reveal; undefined for the default. Tests shorten it. */
  revealSeconds?: number;
}

/** A command's buttons: the custom_id kinds it owns (src/discord/custom-id.ts) and their handler. */
export interface ButtonRoute {
  kinds: readonly CustomIdKind[];
  /** Called with the custom_id the router already parsed; its kind is one of `kinds`. */
  handle(interaction: MessageComponentInteraction, ctx: BotContext, id: QuizCustomId): Promise<void>;
}

/** One route for several: each kind goes to the route that lists it. */
export function joinButtonRoutes(...routes: readonly ButtonRoute[]): ButtonRoute {
  return {
    kinds: routes.flatMap((route) => route.kinds),
    handle(interaction, ctx, id) {
      const route = routes.find((candidate) => candidate.kinds.includes(id.kind));
      if (route === undefined) throw new Error(`no route for ${id.kind} buttons`);
      return route.handle(interaction, ctx, id);
    },
  };
}

export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
  buttons?: ButtonRoute;
}
