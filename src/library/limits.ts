// What a server may upload with /lecture add. The three sizes are settings (src/config.ts); the
// rest are fixed guards against files that would hurt the bot rather than limits a host tunes.

export interface LectureLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Most lectures one server may keep. */
  maxLectures: number;
  /** Most bytes of lecture files one server may keep, all files together. */
  maxTotalBytes: number;
}

const MB = 1024 * 1024;

export const DEFAULT_LECTURE_LIMITS: LectureLimits = Object.freeze({
  maxFileBytes: 1 * MB,
  maxLectures: 500,
  maxTotalBytes: 20 * MB,
});

/** An upload whose check (in the parser thread) takes longer is refused: LECTURE_PARSE_TIMEOUT. */
export const DEFAULT_PARSE_BUDGET_MS = 10_000;
/**
 * Uploaded lecture source (bytes as stored) whose parsed lectures stay in memory, all servers
 * together: LECTURE_CACHE_SIZE. Parsed lectures take about twice their source in heap (500 lectures, 19.8 MB: 40 MB).
 */
export const DEFAULT_LECTURE_CACHE_BYTES = 128 * MB;

/** A download that has not finished by then is given up. */
export const DOWNLOAD_TIMEOUT_MS = 10_000;
/** Longer files are refused before parsing: no real lecture comes near it. */
export const MAX_LINES = 100_000;
/** Attachments one /lecture add takes (file, file2 ... file5). */
export const MAX_FILES_PER_ADD = 5;

/** `1048576` as "1 MB", `1536` as "1.5 KB": sizes as Discord shows them. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${trimmed(bytes / MB)} MB`;
  if (bytes >= 1024) return `${trimmed(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * A size beside the limit it broke, never the same words for both: 1,048,577 bytes against a
 * 1 MB limit reads "1,048,577 bytes … at most 1,048,576 bytes", not "1 MB … at most 1 MB".
 */
export function formatSizeAgainstLimit(bytes: number, limit: number): { size: string; limit: string } {
  const size = formatBytes(bytes);
  const max = formatBytes(limit);
  if (size !== max) return { size, limit: max };
  return { size: `${exactBytes(bytes)} bytes`, limit: `${exactBytes(limit)} bytes` };
}

function exactBytes(bytes: number): string {
  return bytes.toLocaleString('en-US');
}

function trimmed(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}
