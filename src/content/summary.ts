// Chooses the text that introduces a lecture and fits it to Discord's embed limits.
import { codePointBoundaryAtOrBefore, graphemeBoundaryAtOrBefore } from './text-cut.js';

/** Discord's limit for an embed description. */
export const EMBED_DESCRIPTION_LIMIT = 4096;
const ELLIPSIS = ' …';

/**
 * The lecture's own text: the description, unless that is only a stock pointer to the video
 * ("Watch the video or read the transcript...") and a transcript holds the lecture itself.
 */
export function chooseLectureText(description: string, transcript: string): string {
  if (transcript === '') return description;
  if (description === '' || isStockPointer(description)) return transcript;
  return description;
}

function isStockPointer(description: string): boolean {
  return description.length < 400 && /\b(video|transcript)\b/i.test(description) && !description.includes('\n\n');
}

/** The text as is when it fits; otherwise cut at the last sentence or paragraph end that fits, marked with "…". */
export function fitToLimit(text: string, limit = EMBED_DESCRIPTION_LIMIT): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, findCut(text, limit - ELLIPSIS.length)).trimEnd()}${ELLIPSIS}`;
}

/** Splits text into pages of at most `limit` characters, each ending at a sentence or paragraph end where possible. */
export function splitIntoPages(text: string, limit = EMBED_DESCRIPTION_LIMIT): string[] {
  const pages: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    pages.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '' || pages.length === 0) pages.push(rest);
  return pages;
}

/** Index to cut `text` at so the head is at most `room` characters, never inside a character. */
function findCut(text: string, room: number): number {
  const cut = graphemeBoundaryAtOrBefore(text, findReadableCut(text, room));
  // Only a single character longer than the whole room (hundreds of accents) leaves no boundary:
  // cut it between code points so paging still moves on.
  return cut > 0 ? cut : codePointBoundaryAtOrBefore(text, room);
}

/** Where a reader would want the cut: a paragraph or sentence end, outside code, else a word break. */
function findReadableCut(text: string, room: number): number {
  const head = text.slice(0, room + 1);
  // Every index asked about below is in the head, so its fence lines are all that matter.
  const fences = fenceLines(head);
  const candidates = [...head.matchAll(/\n\n|[.!?]["')\]]?(?=\s)/g)]
    .map((match) => match.index + (match[0] === '\n\n' ? 0 : match[0].length))
    .filter((index) => index <= room && openFenceStart(fences, index) === -1);
  const best = candidates.at(-1);
  // A sentence end in the first half would waste most of the page; a word break is better then.
  if (best !== undefined && best >= room / 2) return best;
  const space = head.lastIndexOf(' ', room);
  if (space >= room / 2 && openFenceStart(fences, space) === -1) return space;
  const fenceStart = openFenceStart(fences, room);
  return fenceStart > 0 ? fenceStart : room;
}

interface FenceLine {
  /** Where the line starts, and where its ``` or ~~~ ends. */
  start: number;
  end: number;
}

/**
 * The lines of `text` that open or close a code fence, in order. Found once per cut: looking again
 * for every sentence end made the cut of a long transcript quadratic.
 */
function fenceLines(text: string): FenceLine[] {
  return [...text.matchAll(/^ {0,3}(```|~~~)/gm)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/** Where the code fence still open at `index` starts, or -1: the fence lines before it open and close in turn. */
function openFenceStart(fences: FenceLine[], index: number): number {
  let open = -1;
  for (const fence of fences) {
    if (fence.end > index) break;
    open = open === -1 ? fence.start : -1;
  }
  return open;
}
