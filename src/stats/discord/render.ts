// /quizstats as a message: the totals, then each question hardest first with its most chosen wrong
// answer and the author's feedback for it, within Discord's embed limits; the chart as the embed's
// image; an event occurrence's standings.
import type { APIEmbed } from 'discord.js';
import { truncate } from '../../quiz/catalog.js';
import { COLOR } from '../../discord/embeds.js';
import { EMBED_DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT, fitText } from '../../discord/limits.js';
import type { Standing } from '../../events/standings.js';
import type { QuestionResult, Report } from '../report.js';

export const CHART_FILE = 'quizstats.png';
export const STANDINGS_SHOWN = 10;

export interface StatsView {
  title: string;
  report: Report;
  /** An event occurrence's standings, best first. */
  standings?: Standing[];
  /** Show the chart attachment as the embed's image. */
  chart: boolean;
  /** A line about the CSV (attached, compressed, or too large). */
  exportNote?: string;
}

export function statsEmbed(view: StatsView): APIEmbed {
  const fields = view.standings && view.standings.length > 0 ? [standingsField(view.standings)] : [];
  const footer =
    "Counted: each member's first answer to each question." +
    (view.exportNote === undefined ? ' Add export:True for a CSV of every first answer.' : '');
  const fixed =
    view.title.length +
    footer.length +
    fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  const budget = Math.min(EMBED_DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - fixed - 100);
  return {
    title: truncate(view.title, 256),
    color: COLOR.lecture,
    description: fitText(description(view, budget), budget),
    ...(fields.length > 0 ? { fields } : {}),
    ...(view.chart ? { image: { url: `attachment://${CHART_FILE}` } } : {}),
    footer: { text: footer },
  };
}

function description(view: StatsView, budget: number): string {
  const { report } = view;
  if (report.participants === 0) return 'Nobody has answered yet: results appear here as members answer.';
  const head = [summaryLine(report)];
  if (view.exportNote !== undefined) head.push(view.exportNote);
  if (report.olderAnswers > 0) {
    head.push(
      `(${report.olderAnswers} first answers were to earlier versions of edited questions: counted above, not below.)`,
    );
  }
  const lines = [...head, ''];
  let used = lines.join('\n').length;
  const shown = report.questions.filter((question) => question.answers > 0);
  for (const [index, question] of shown.entries()) {
    const block = questionBlock(question);
    const more = `\n… ${shown.length - index} more questions${view.chart ? ' in the chart' : ''}${view.exportNote ? ' and the CSV' : ''}.`;
    if (used + block.length + 2 + more.length > budget) {
      lines.push(more.trim());
      return lines.join('\n');
    }
    lines.push(block, '');
    used += block.length + 2;
  }
  const unanswered = report.questions.length - shown.length;
  if (unanswered > 0)
    lines.push(`${unanswered} question${unanswered === 1 ? ' has' : 's have'} no answers yet.`);
  return lines.join('\n').trimEnd();
}

function summaryLine(report: Report): string {
  const mean = report.meanRight === null ? '0' : report.meanRight.toFixed(1).replace(/\.0$/, '');
  const members = `**${report.participants}** member${report.participants === 1 ? '' : 's'}`;
  return (
    `${members} · **${report.answers}** first answers, ${percent(report.right / Math.max(1, report.answers))} right · ` +
    `**${mean}** right per member on average`
  );
}

function questionBlock(question: QuestionResult): string {
  const lines = [
    `**Q${question.label}**${question.from === undefined ? '' : ` (${oneLine(question.from, 80)})`} · ${percent(question.accuracy ?? 0)} right first time (${question.right} of ${question.answers})`,
    `> ${oneLine(question.text ?? '(this question was edited since)', 160)}`,
  ];
  const wrong = question.wrong;
  if (wrong !== null) {
    lines.push(
      `Most chosen wrong answer: **${wrong.letter}** ${quote(oneLine(wrong.text, 80))} · ${percent(wrong.share)} (${wrong.count})`,
    );
    if (wrong.feedback !== null) lines.push(`↳ *${oneLine(wrong.feedback, 220).replaceAll('*', '')}*`);
  } else if (question.text !== null && question.right === question.answers) {
    lines.push('Everyone got it right.');
  }
  return lines.join('\n');
}

function standingsField(standings: Standing[]): { name: string; value: string } {
  const lines = standings
    .slice(0, STANDINGS_SHOWN)
    .map(
      (row) =>
        `${row.rank}. <@${row.userId}> · ${row.correct} of ${row.answered} right · ${(row.totalMs / 1000).toFixed(1)} s`,
    );
  return { name: 'Standings', value: fitText(lines.join('\n'), 1024) };
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function quote(text: string): string {
  return text.startsWith('`') ? text : `"${text}"`;
}

/** Markdown on one line (code blocks become `[code]`), cut to `limit` characters. */
function oneLine(markdown: string, limit: number): string {
  const text = markdown
    .replace(/```[\s\S]*?```/g, '[code]')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(text, limit);
}
