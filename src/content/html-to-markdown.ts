// Discord renders markdown but shows HTML tags literally, so the few tags lecture authors use
// become their markdown equivalents. Code (fences and backtick spans) is left exactly as written.

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower in ENTITIES) return ENTITIES[lower] ?? whole;
    if (lower.startsWith('#x')) return safeCodePoint(parseInt(lower.slice(2), 16)) ?? whole;
    if (lower.startsWith('#')) return safeCodePoint(parseInt(lower.slice(1), 10)) ?? whole;
    return whole;
  });
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** A `<pre>` block (optionally wrapping `<code class="language-x">`) becomes a fenced code block. */
export function preBlockToFence(html: string): string | null {
  const match = /^\s*<pre[^>]*>([\s\S]*?)<\/pre>\s*$/i.exec(html);
  if (!match) return null;
  let inner = match[1] ?? '';
  const language = /<code[^>]*class="[^"]*language-([\w+-]+)/i.exec(inner)?.[1] ?? '';
  inner = inner.replace(/<\/?code[^>]*>/gi, '').replace(/<br\s*\/?>/gi, '\n');
  inner = decodeEntities(inner.replace(/<[^>]+>/g, ''));
  inner = inner.replace(/^\n+|\n+$/g, '');
  // A fence longer than any backtick run inside keeps the code intact.
  const longestRun = Math.max(2, ...(inner.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${inner}\n${fence}`;
}

/** Converts inline HTML in markdown text, leaving backtick code spans untouched. */
export function inlineHtmlToMarkdown(text: string): string {
  if (!text.includes('<') && !text.includes('&')) return text;
  // Split on code spans (` ... `, `` ... ``): odd parts are code and stay as written.
  const parts = text.split(/((`+)[\s\S]*?[^`]\2(?!`))/);
  let result = '';
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] ?? '';
    if (index % 3 === 0) result += convertInline(part);
    else if (index % 3 === 1) result += part;
  }
  return result;
}

function convertInline(text: string): string {
  return decodeEntities(
    text
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<br\s*\/?>\n?/gi, '\n')
      .replace(/<code[^>]*>([\s\S]*?)<\/code>/gi, (_whole, code: string) => toCodeSpan(decodeEntities(code)))
      .replace(/<(strong|b)>([\s\S]*?)<\/\1>/gi, '**$2**')
      .replace(/<(em|i)>([\s\S]*?)<\/\1>/gi, '*$2*')
      .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, '[$2]($1)')
      .replace(/<sup>([\s\S]*?)<\/sup>/gi, (_whole, inner: string) => toScript(inner, SUPERSCRIPT, '^'))
      .replace(/<sub>([\s\S]*?)<\/sub>/gi, (_whole, inner: string) => toScript(inner, SUBSCRIPT, '_')),
  );
}

function toCodeSpan(code: string): string {
  const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longestRun + 1);
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${code}${pad}${ticks}`;
}

const SUPERSCRIPT: Record<string, string> = Object.fromEntries(
  [...'0123456789+-=()n'].map((char, index) => [char, '⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ'[index] ?? char]),
);
const SUBSCRIPT: Record<string, string> = Object.fromEntries(
  [...'0123456789+-=()'].map((char, index) => [char, '₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎'[index] ?? char]),
);

/** `x<sup>2</sup>` reads as x² in Discord; text with no Unicode form falls back to x^(…). */
function toScript(inner: string, table: Record<string, string>, marker: string): string {
  const chars = [...inner];
  if (chars.length > 0 && chars.every((char) => char in table)) return chars.map((char) => table[char]).join('');
  return `${marker}(${inner})`;
}
