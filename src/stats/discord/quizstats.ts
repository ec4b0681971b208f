// /quizstats: results for teachers, per lecture or per event occurrence, with the accuracy chart
// and, on request, the CSV of every first answer. Reads counters (a few keys) for the report; only
// the CSV and an event's standings read a key range (one record per member).
import { gzipSync } from 'node:zlib';
import { MessageFlags } from 'discord.js';
import type { ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../discord/command.js';
import { requireGuildId } from '../../discord/guild.js';
import { requireManageServer } from '../../discord/permissions.js';
import { UserError, respond } from '../../discord/respond.js';
import type { ReplyFile } from '../../discord/respond.js';
import type { Lecture } from '../../content/types.js';
import { eventTitle } from '../../events/discord/actions.js';
import { normalizeEventId } from '../../events/model.js';
import { rankRows } from '../../events/standings.js';
import type { Standing } from '../../events/standings.js';
import { findLecture } from '../../quiz/discord/views.js';
import { formatBytes } from '../../library/limits.js';
import { lectureCsv, occurrenceCsv } from '../csv.js';
import { lectureReport, occurrenceReport } from '../report.js';
import type { Report } from '../report.js';
import type { OccurrenceMemberRecord } from '../model.js';
import type { Member } from '../store.js';
import { accuracyChart } from './chart.js';
import { CHART_FILE, statsEmbed } from './render.js';

export interface StatsRequest {
  lecture: string | null;
  event: string | null;
  occurrence: number | null;
  exportCsv: boolean;
}

/** Discord's attachment limit for servers without boosts, when the interaction does not say. */
const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;

export async function showStats(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  request: StatsRequest,
): Promise<void> {
  requireManageServer(interaction, 'see quiz results');
  const guildId = requireGuildId(interaction);
  if ((request.lecture === null) === (request.event === null)) {
    throw new UserError('Pick either a lecture or an event (from /quizevent list) to see its results.');
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const limit =
    interaction.attachmentSizeLimit > 0 ? interaction.attachmentSizeLimit : DEFAULT_ATTACHMENT_LIMIT;
  const result =
    request.lecture !== null
      ? await lectureResults(ctx, guildId, request.lecture, request.exportCsv)
      : await eventResults(ctx, guildId, request.event ?? '', request.occurrence, request.exportCsv);
  const files: ReplyFile[] = [];
  const chart = result.report.questions.filter((question) => question.answers > 0).length >= 2;
  if (chart) files.push({ name: CHART_FILE, data: (await accuracyChart(result.report)).png });
  let exportNote: string | undefined;
  if (result.csv !== null) {
    const room = limit - files.reduce((sum, file) => sum + file.data.length, 0);
    const csv = fitCsv(result.csv, result.fileName, room);
    exportNote = csv.note;
    if (csv.file !== null) files.push(csv.file);
  }
  await respond(interaction, {
    embeds: [
      statsEmbed({
        title: result.title,
        report: result.report,
        chart,
        ...(result.standings === undefined ? {} : { standings: result.standings }),
        ...(exportNote === undefined ? {} : { exportNote }),
      }),
    ],
    files,
    ephemeral: true,
  });
}

interface Results {
  title: string;
  report: Report;
  standings?: Standing[];
  csv: string | null;
  fileName: string;
}

async function lectureResults(
  ctx: BotContext,
  guildId: string,
  query: string,
  exportCsv: boolean,
): Promise<Results> {
  const lecture = await findLecture(ctx, guildId, query);
  const stats = await ctx.stats.lecture(guildId, lecture.id);
  const csv = exportCsv
    ? lectureCsv(lecture, lecture.id, await ctx.stats.lectureMembers(guildId, lecture.id))
    : null;
  return {
    title: `Results: ${lecture.title}`,
    report: lectureReport(lecture, stats),
    csv,
    fileName: `quizstats-${lecture.id}.csv`,
  };
}

async function eventResults(
  ctx: BotContext,
  guildId: string,
  typed: string,
  occurrence: number | null,
  exportCsv: boolean,
): Promise<Results> {
  const eventId = normalizeEventId(typed);
  if (eventId === null)
    throw new UserError(`"${truncateEcho(typed)}" is not an event id: pick one from the suggestions.`);
  const run =
    occurrence ??
    (await ctx.stats.recentOccurrences(guildId)).find((entry) => entry.eventId === eventId)?.occurrence;
  const stats = run === undefined ? undefined : await ctx.stats.occurrence(guildId, eventId, run);
  if (run === undefined || stats === undefined) {
    throw new UserError(
      occurrence === null
        ? `Event ${eventId} has no results yet: they are counted when a run of it ends.`
        : `Event ${eventId} has no results for run ${occurrence}.`,
    );
  }
  const catalog = await ctx.lectures.forGuild(guildId);
  const lectureOf = (lectureId: string): Lecture | undefined => catalog.get(lectureId);
  const members = await ctx.stats.occurrenceMembers(guildId, eventId, run);
  const event = await ctx.events.store.get(eventId);
  // A review night is named as such; its questions each name their own lecture.
  const name = event ? eventTitle(event, catalog) : (lectureOf(stats.lectureId)?.title ?? stats.lectureId);
  const title = `Results: ${name}, event ${eventId}${run > 1 || occurrence !== null ? ` (run ${run})` : ''}`;
  const questionMs = (event?.secondsPerQuestion ?? 0) * 1000;
  const asked = Math.max(
    Object.keys(stats.questions).length,
    event?.occurrence === run ? (event.questions?.length ?? 0) : 0,
  );
  return {
    title,
    report: occurrenceReport(name, lectureOf, stats),
    standings: occurrenceStandings(members, asked, questionMs),
    csv: exportCsv ? occurrenceCsv(lectureOf, stats, members) : null,
    fileName: `quizstats-${eventId}-run${run}.csv`,
  };
}

/** The event's own ranking rule: most right, then least time, unanswered questions costing their full time. */
function occurrenceStandings(
  members: readonly Member<OccurrenceMemberRecord>[],
  asked: number,
  questionMs: number,
): Standing[] {
  return rankRows(
    members.map(({ userId, record }) => ({
      userId,
      correct: record.right,
      answered: record.answered,
      totalMs: record.ms + Math.max(0, asked - record.answered) * questionMs,
    })),
  );
}

/** The CSV as is when it fits the attachment limit, else gzip-compressed, else a note saying so. */
function fitCsv(csv: string, fileName: string, room: number): { file: ReplyFile | null; note: string } {
  const data = Buffer.from(csv, 'utf8');
  if (data.length <= room)
    return { file: { name: fileName, data }, note: `📎 ${fileName}: every first answer, one row each.` };
  // Level 1: CSV squeezes to a tenth even so, in a third of the default level's time.
  const packed = gzipSync(data, { level: 1 });
  if (packed.length <= room) {
    return {
      file: { name: `${fileName}.gz`, data: packed },
      note: `📎 ${fileName}.gz: every first answer, one row each (${formatBytes(data.length)}, compressed to fit Discord's upload limit).`,
    };
  }
  return {
    file: null,
    note: `The CSV (${formatBytes(data.length)}) is too large for Discord's upload limit here, even compressed.`,
  };
}

function truncateEcho(text: string): string {
  return [...text.trim()].slice(0, 20).join('');
}
