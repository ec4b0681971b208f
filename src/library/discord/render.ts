// What /lecture answers: one line per file added (problems in a code block, the full list as a
// .txt when it does not fit), the server's lecture list, a removal.
import type { APIEmbed } from 'discord.js';
import type { Catalog } from '../../quiz/catalog.js';
import { paginate, truncate } from '../../quiz/catalog.js';
import { formatProblem } from '../../content/types.js';
import { COLOR, pagerRow } from '../../discord/embeds.js';
import type { MessageView } from '../../discord/embeds.js';
import { EMBED_DESCRIPTION_LIMIT, fitText } from '../../discord/limits.js';
import type { ReplyFile } from '../../discord/respond.js';
import { formatDiscordTimestamp } from '../../events/schedule.js';
import type { AddOutcome, LecturePreview } from '../library.js';
import { formatBytes } from '../limits.js';
import type { LectureLimits } from '../limits.js';
import type { LibraryEntry } from '../store.js';
import { plural } from '../../plural.js';

export const PROBLEMS_FILE = 'lecture-problems.txt';
export const LIST_PAGE_SIZE = 10;

export interface AddReply {
  embeds: APIEmbed[];
  files: ReplyFile[];
}

export function addReply(outcomes: readonly AddOutcome[]): AddReply {
  const lines = outcomes.map(outcomeLine);
  const problems = outcomes.flatMap((outcome) =>
    // A fence inside a message would end the code block early.
    outcome.kind === 'invalid'
      ? outcome.problems.map((problem) => formatProblem(problem).replaceAll('```', "'''"))
      : [],
  );
  const saved = outcomes.filter((outcome) => outcome.kind === 'saved').length;
  const head = lines.join('\n');
  const block = problems.length === 0 ? '' : `\n\`\`\`\n${problems.join('\n')}\n\`\`\``;
  const fits = head.length + block.length <= EMBED_DESCRIPTION_LIMIT;
  const description = fits ? head + block : withCutProblems(head, problems);
  return {
    embeds: [
      {
        title:
          saved === outcomes.length
            ? 'Lectures added'
            : saved === 0
              ? 'Nothing added'
              : 'Some lectures added',
        color: saved === 0 ? COLOR.wrong : saved === outcomes.length ? COLOR.correct : COLOR.info,
        description,
        ...(saved > 0
          ? {
              footer: {
                text: 'Saved for this server only: /quiz start, /quizevent and /quiz list see them now.',
              },
            }
          : {}),
      },
    ],
    files: fits ? [] : [{ name: PROBLEMS_FILE, data: Buffer.from(`${problems.join('\n')}\n`, 'utf8') }],
  };
}

function outcomeLine(outcome: AddOutcome): string {
  switch (outcome.kind) {
    case 'saved':
      return `✅ **${escape(outcome.name)}**: ${outcome.replaced ? 'replaced' : 'saved'}: ${previewText(outcome.preview)}`;
    case 'invalid':
      return `❌ **${escape(outcome.name)}**: not saved, ${outcome.problems.length} ${outcome.problems.length === 1 ? 'problem' : 'problems'} (below)`;
    case 'refused':
      return `❌ **${escape(outcome.name)}**: not saved: ${outcome.reason}`;
  }
}

export function previewText(preview: LecturePreview): string {
  const questions =
    preview.sets > 1
      ? `${preview.sets} quiz sets, ${plural(preview.questions, 'question')} in all`
      : plural(preview.questions, 'question');
  return `"${truncate(preview.title, 100)}" (\`${preview.id}\`), ${questions}, ${plural(preview.answersWithFeedback, 'answer')} with feedback`;
}

/** As many problem lines as fit, and a pointer to the attached file with all of them. */
function withCutProblems(head: string, problems: string[]): string {
  const note = `\n… the full list of ${problems.length} problems is in the attached ${PROBLEMS_FILE}`;
  const room = EMBED_DESCRIPTION_LIMIT - head.length - note.length - '\n```\n\n```'.length;
  const shown: string[] = [];
  let used = 0;
  for (const line of problems) {
    const cut = truncate(line, 300);
    if (used + cut.length + 1 > room) break;
    shown.push(cut);
    used += cut.length + 1;
  }
  const block = shown.length === 0 ? '' : `\n\`\`\`\n${shown.join('\n')}\n\`\`\``;
  return fitText(`${head}${block}${note}`, EMBED_DESCRIPTION_LIMIT);
}

/** The server's own lectures (who added each, when) and the content folder's, marked as the bot's. */
export function listMessage(
  own: readonly LibraryEntry[],
  bundled: Catalog,
  limits: LectureLimits,
  page: number,
): MessageView {
  const rows = [
    ...own.map(
      (entry) =>
        `📄 **${escape(truncate(entry.title, 80))}** \`${entry.id}\` · added by ${escape(entry.addedBy.name)} ${formatDiscordTimestamp(entry.addedAt, 'R')} · ${formatBytes(entry.bytes)}`,
    ),
    ...bundled.lectures.map(
      (lecture) => `📚 **${escape(truncate(lecture.title, 80))}** \`${lecture.id}\` · bundled with the bot`,
    ),
  ];
  const shown = paginate(rows, page, LIST_PAGE_SIZE);
  const used = own.reduce((sum, entry) => sum + entry.bytes, 0);
  const summary =
    `This server's own lectures: ${own.length} of ${limits.maxLectures}, ${formatBytes(used)} of ${formatBytes(limits.maxTotalBytes)}. ` +
    `📚 marks the ${bundled.lectures.length} lectures bundled with the bot, which every server sees.`;
  return {
    embeds: [
      {
        title: 'Lectures in this server',
        color: COLOR.lecture,
        description: fitText(
          [
            summary,
            '',
            ...(shown.items.length > 0 ? shown.items : ['No lectures yet. Add one with /lecture add.']),
          ].join('\n'),
          EMBED_DESCRIPTION_LIMIT,
        ),
        footer: {
          text: `Page ${shown.page + 1} of ${shown.pageCount} · /lecture add, /lecture remove, /lecture download`,
        },
      },
    ],
    components:
      shown.pageCount > 1
        ? [pagerRow(shown.page, shown.pageCount, (p) => ({ kind: 'library-page', page: p }))]
        : [],
  };
}

/** `eventIds`: the server's scheduled or running quiz events on the lecture, which can no longer run. */
export function removedEmbed(entry: LibraryEntry, eventIds: readonly string[] = []): APIEmbed {
  const events =
    eventIds.length === 0
      ? ''
      : `\n\n⚠️ ${eventIds.length === 1 ? 'A quiz event uses' : `${eventIds.length} quiz events use`} it and cannot run now: ` +
        `${eventIds.map((id) => `\`${id}\``).join(', ')}. Cancel ${eventIds.length === 1 ? 'it' : 'them'} with /quizevent cancel, ` +
        'or add the lecture again before the start.';
  return {
    title: 'Lecture removed',
    color: COLOR.info,
    description:
      `**${escape(entry.title)}** (\`${entry.id}\`) is no longer offered in this server. ` +
      `Buttons already posted for it now say it was removed; scores earned with it stay.${events}`,
  };
}

export function downloadEmbed(fileName: string, id: string): APIEmbed {
  return {
    color: COLOR.lecture,
    description: `📎 **${escape(fileName)}**, lecture \`${id}\`, exactly as it was uploaded.`,
  };
}

/** File names and member names are shown as typed, not as markdown. */
function escape(text: string): string {
  return text.replace(/([\\*_`~|>[\]()])/g, '\\$1');
}
