// The read-only views: lecture list, full lecture pages, score and leaderboard.
import type { Lecture } from '../../content/types.js';
import { paginate } from '../catalog.js';
import { accuracy } from '../scoring.js';
import type { BotContext } from '../../discord/command.js';
import { MAX_LIST_SEARCH_LENGTH } from '../../discord/custom-id.js';
import { cutToLength } from '../../content/text-cut.js';
import type { LeaderboardLine, MessageView } from './render.js';
import { leaderboardMessage, lectureListMessage, lecturePageMessage, scoreMessage } from './render.js';
import { UserError } from '../../discord/respond.js';
import { REMOVED_LECTURE } from '../messages.js';

export const LIST_PAGE_SIZE = 10;
export const LEADERBOARD_PAGE_SIZE = 10;

/** The lecture an option names: its id (what autocomplete fills in), or a title typed in full. */
export async function findLecture(ctx: BotContext, guildId: string, query: string): Promise<Lecture> {
  const catalog = await ctx.lectures.forGuild(guildId);
  const byId = catalog.get(query.trim());
  if (byId) return byId;
  const [best, second] = catalog.search(query);
  if (best && (!second || best.title.toLowerCase() === query.trim().toLowerCase())) return best;
  throw new UserError(
    best
      ? `Several lectures match "${query}". Pick one from the suggestions as you type, or see /quiz list.`
      : `No lecture matches "${query}". See /quiz list for what is available.`,
  );
}

export async function lectureListView(
  ctx: BotContext,
  guildId: string,
  search: string,
  page: number,
): Promise<MessageView> {
  const cut = cutToLength(search.trim(), MAX_LIST_SEARCH_LENGTH);
  const catalog = await ctx.lectures.forGuild(guildId);
  return lectureListMessage(paginate(catalog.search(cut), page, LIST_PAGE_SIZE), cut);
}

export async function lecturePageView(
  ctx: BotContext,
  guildId: string,
  lectureId: string,
  page: number,
): Promise<MessageView> {
  const lecture = (await ctx.lectures.forGuild(guildId)).get(lectureId);
  if (!lecture) throw new UserError(REMOVED_LECTURE);
  return lecturePageMessage(lecture, page);
}

export async function scoreView(ctx: BotContext, guildId: string, userId: string): Promise<MessageView> {
  const ranked = await ctx.store.getScore(guildId, userId);
  if (!ranked) return scoreMessage(null, userId);
  const { total } = await ctx.store.leaderboard(guildId, 0, 1);
  const { score } = ranked;
  return scoreMessage(
    {
      userId,
      points: score.points,
      answered: score.answered,
      correct: score.correct,
      accuracy: accuracy(score),
      streak: score.streak,
      bestStreak: score.bestStreak,
      rank: ranked.rank,
      players: total,
    },
    userId,
  );
}

export async function leaderboardView(ctx: BotContext, guildId: string, page: number): Promise<MessageView> {
  const first = await ctx.store.leaderboard(
    guildId,
    Math.max(0, page) * LEADERBOARD_PAGE_SIZE,
    LEADERBOARD_PAGE_SIZE,
  );
  const pageCount = Math.max(1, Math.ceil(first.total / LEADERBOARD_PAGE_SIZE));
  // A page past the end (the board shrank since the button was sent) shows the last one instead.
  const current = Math.min(Math.max(0, page), pageCount - 1);
  const { entries, total } =
    current === page
      ? first
      : await ctx.store.leaderboard(guildId, current * LEADERBOARD_PAGE_SIZE, LEADERBOARD_PAGE_SIZE);
  const lines: LeaderboardLine[] = entries.map((entry) => ({
    rank: entry.rank,
    userId: entry.userId,
    points: entry.score.points,
    answered: entry.score.answered,
    accuracy: accuracy(entry.score),
  }));
  return leaderboardMessage(lines, current, pageCount, total);
}
