// Message pieces every feature shares: colours, notices, buttons in rows, previous/next pagers.
// Plain API objects, accepted by every discord.js send, reply and edit.
import { ButtonStyle, ComponentType } from 'discord.js';
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIEmbed } from 'discord.js';
import { buildCustomId } from './custom-id.js';
import type { QuizCustomId } from './custom-id.js';
import { BUTTONS_PER_ROW, EMBED_DESCRIPTION_LIMIT, MAX_ROWS, fitText } from './limits.js';

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

export interface MessageView {
  embeds: APIEmbed[];
  components: ButtonRow[];
}

export const COLOR = {
  lecture: 0x5865f2,
  question: 0x2b2d31,
  correct: 0x57f287,
  wrong: 0xed4245,
  info: 0xfee75c,
};

export function noticeEmbed(text: string): APIEmbed {
  return { color: COLOR.info, description: fitText(text, EMBED_DESCRIPTION_LIMIT) };
}

export function button(
  label: string,
  id: QuizCustomId,
  style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success,
  disabled = false,
): APIButtonComponentWithCustomId {
  return { type: ComponentType.Button, style, label, custom_id: buildCustomId(id), disabled };
}

export function row(buttons: APIButtonComponentWithCustomId[]): ButtonRow {
  return { type: ComponentType.ActionRow, components: buttons };
}

/** Five buttons to a row, five rows at most (25 answers: the most the content allows). */
export function rows(buttons: APIButtonComponentWithCustomId[]): ButtonRow[] {
  if (buttons.length > BUTTONS_PER_ROW * MAX_ROWS)
    throw new RangeError(`${buttons.length} buttons do not fit a message`);
  const result: ButtonRow[] = [];
  for (let start = 0; start < buttons.length; start += BUTTONS_PER_ROW)
    result.push(row(buttons.slice(start, start + BUTTONS_PER_ROW)));
  return result;
}

export /** Previous/next buttons; their ids differ (page-1 vs page+1) as Discord requires on one message. */
function pagerRow(page: number, pageCount: number, id: (page: number) => QuizCustomId): ButtonRow {
  return row([
    button('◀ Previous', id(Math.max(0, page - 1)), ButtonStyle.Secondary, page === 0),
    button('Next ▶', id(page + 1), ButtonStyle.Secondary, page >= pageCount - 1),
  ]);
}
