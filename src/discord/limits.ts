// Discord's message limits, and a cut that never leaves a code block open or splits a character.
import { cutToLength } from '../content/text-cut.js';

export const EMBED_TITLE_LIMIT = 256;
export const EMBED_DESCRIPTION_LIMIT = 4096;
export const EMBED_FOOTER_LIMIT = 2048;
export const EMBED_FIELD_VALUE_LIMIT = 1024;
export const EMBED_TOTAL_LIMIT = 6000;
export const BUTTONS_PER_ROW = 5;
export const MAX_ROWS = 5;

const ELLIPSIS = '…';
const FENCE_LINE = /^ {0,3}(```|~~~)/gm;

/** `text` when it fits in `limit` characters; otherwise its head marked with "…", with any open code fence closed. */
export function fitText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  // Room for the ellipsis and a closing fence ("\n```").
  let head = cutToLength(text, Math.max(0, limit - ELLIPSIS.length - 4));
  const space = head.lastIndexOf(' ');
  if (space > head.length * 0.8) head = head.slice(0, space);
  head = head.trimEnd();
  const fences = [...head.matchAll(FENCE_LINE)];
  const open = fences.length % 2 === 1 ? fences.at(-1)?.[1] : undefined;
  return open === undefined ? `${head}${ELLIPSIS}` : `${head}${ELLIPSIS}\n${open}`;
}

/** Characters Discord counts towards an embed's 6,000 total. */
export function embedLength(embed: {
  title?: string;
  description?: string;
  footer?: { text: string };
  author?: { name: string };
  fields?: { name: string; value: string }[];
}): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}
