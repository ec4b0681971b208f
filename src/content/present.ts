// How a question's answers look on Discord buttons. Pure: the bot, the preview command and the
// tests all call these, so what an author previews is what the channel shows.

/** Discord's limit for a button label. discord.js checks it with `string.length` (UTF-16 code units). */
export const BUTTON_LABEL_LIMIT = 80;
/** Discord allows five rows of five buttons on one message. */
export const MAX_ANSWER_BUTTONS = 25;

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXY';

/** 'A' for 0 up to 'Y' for 24; a RangeError outside that, since no message can show a 26th button. */
export function answerLetter(index: number): string {
  const letter = Number.isInteger(index) ? LETTERS[index] : undefined;
  if (letter === undefined) {
    throw new RangeError(`answer index ${index} is outside 0..${MAX_ANSWER_BUTTONS - 1}`);
  }
  return letter;
}

/**
 * The answer as one plain line for a button label, or null when it cannot be one: a code block,
 * several lines or paragraphs, or nothing left after stripping. Simple inline markdown (code spans,
 * bold, italics, strike-through, links, backslash escapes) is reduced to its text, because a label
 * shows characters literally.
 */
export function plainAnswerLine(answerText: string): string | null {
  const text = answerText.trim();
  if (text === '' || text.includes('\n') || /^(```|~~~)/.test(text)) return null;
  // Code spans are taken literally (`__init__` keeps its underscores); the rest loses its markup.
  const parts = text.split(/(`+)(.+?)\1(?!`)/);
  let plain = '';
  for (let index = 0; index < parts.length; index += 3) {
    plain += stripInlineMarkup(parts[index] ?? '');
    const code = parts[index + 2];
    if (code !== undefined) plain += code.length > 2 && /^ .* $/.test(code) ? code.slice(1, -1) : code;
  }
  plain = plain.replace(/\s+/g, ' ').trim();
  return plain === '' ? null : plain;
}

const ESCAPABLE = '\\`*_{}[]()#+-.!~<>|';
// Escaped characters hide in the Private Use Area while markup is stripped, so `\*` is never emphasis.
const HIDDEN = 0xe000;

function stripInlineMarkup(text: string): string {
  return text
    .replace(/\\(.)/g, (whole, char: string) => {
      const at = ESCAPABLE.indexOf(char);
      return at === -1 ? whole : String.fromCharCode(HIDDEN + at);
    })
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.*?\S)\1/g, '$2')
    .replace(/~~(?=\S)(.*?\S)~~/g, '$1')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w_])_(?=\S)([^_]*?\S)_(?![\w_])/g, '$1$2')
    .replace(/[\ue000-\ue0ff]/g, (char) => ESCAPABLE[char.charCodeAt(0) - HIDDEN] ?? char);
}

/** `A. text` when the answer fits a button as one plain line, otherwise the letter alone. Never over 80. */
export function answerButtonLabel(index: number, answerText: string): string {
  const letter = answerLetter(index);
  const line = plainAnswerLine(answerText);
  if (line === null) return letter;
  const label = `${letter}. ${line}`;
  return label.length <= BUTTON_LABEL_LIMIT ? label : letter;
}

/** True when every answer of a question can show its text on its button. */
export function answersFitOnButtons(answerTexts: readonly string[]): boolean {
  return answerTexts.every((text, index) => answerButtonLabel(index, text) !== answerLetter(index));
}

/**
 * Labels for all of a question's buttons, consistent within the question: `A. text` on every button
 * when every answer fits, otherwise letters alone on every button (a row mixing `A. Pandas` with a
 * bare `B` reads as if B were missing; the embed lists the answers in full either way).
 */
export function answerButtonLabels(answerTexts: readonly string[]): string[] {
  const withText = answersFitOnButtons(answerTexts);
  return answerTexts.map((text, index) => (withText ? answerButtonLabel(index, text) : answerLetter(index)));
}
