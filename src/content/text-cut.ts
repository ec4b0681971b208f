// Cuts user-visible text to a length without splitting a character. Lengths are counted as Discord
// and discord.js count them, in UTF-16 code units (JavaScript's `length`); the cut itself falls on a
// grapheme-cluster boundary, so an emoji, a flag, a skin tone or an accent is kept whole or left out
// whole instead of reaching Discord as a lone surrogate or half a character.

// Made on first use: creating it loads ICU's segmentation data (13 ms here), which a start whose
// lectures all come from the content cache does not need.
let graphemes: Intl.Segmenter | undefined;

/** The longest head of `text` that is at most `maxLength` code units and ends between whole characters. */
export function cutToLength(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return text.slice(0, graphemeBoundaryAtOrBefore(text, maxLength));
}

/** The largest index not after `index` where a grapheme cluster of `text` starts, or where the text ends. */
export function graphemeBoundaryAtOrBefore(text: string, index: number): number {
  if (index <= 0) return 0;
  if (index >= text.length) return text.length;
  // Two ASCII characters always have a boundary between them but CR LF (UAX #29: each other rule that
  // joins characters names a non-ASCII one), so most cuts need no segmenter and no ICU data.
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  if (before < 0x80 && after < 0x80 && !(before === 0x0d && after === 0x0a)) return index;
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  // Only the line around `index` is segmented, not the text before it: there is always a boundary
  // right after a line feed (UAX #29, GB4), so the clusters of that line are the same either way.
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const newline = text.indexOf('\n', index);
  const end = newline === -1 ? text.length : newline + 1;
  const cluster = graphemes.segment(text.slice(start, end)).containing(index - start);
  return cluster === undefined ? index : start + cluster.index;
}

/** `index`, or one less when it falls between the two halves of a surrogate pair. */
export function codePointBoundaryAtOrBefore(text: string, index: number): number {
  const insidePair = isLowSurrogate(text.charCodeAt(index)) && isHighSurrogate(text.charCodeAt(index - 1));
  return insidePair ? index - 1 : index;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
