// Splits a lecture file into its YAML front matter and markdown body, keeping line numbers.
import matter from 'gray-matter';

export interface FrontMatterSplit {
  /** Parsed YAML, or null when it is missing or broken (see `error`). */
  data: Record<string, unknown> | null;
  /** Raw front matter lines, for finding which line a field is on. */
  yamlLines: string[];
  /** The markdown after the closing `---`. */
  body: string;
  /** 0-based line in the file where `body` starts. */
  bodyStartLine: number;
  error: { line: number; message: string } | null;
}

const DELIMITER = '---';

/** `source` must already be normalized (no BOM, LF line ends). */
export function splitFrontMatter(source: string): FrontMatterSplit {
  const lines = source.split('\n');
  if (lines[0]?.trimEnd() !== DELIMITER) {
    return failure(lines, 1, 'missing front matter: the file must start with a --- line, then id and title');
  }
  // The real corpus closes with '--- ' (trailing space) in places, so compare trimmed lines.
  const closing = lines.findIndex((line, index) => index > 0 && line.trimEnd() === DELIMITER);
  if (closing === -1) {
    return failure(lines, 1, 'front matter is not closed: add a --- line after the last field');
  }
  const yamlLines = lines.slice(1, closing);
  const body = lines.slice(closing + 1).join('\n');
  try {
    // Options (even empty) stop gray-matter from caching every file's text in memory.
    const parsed = matter(`${DELIMITER}\n${yamlLines.join('\n')}\n${DELIMITER}\n`, {});
    const data = parsed.data as unknown;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return { data: null, yamlLines, body, bodyStartLine: closing + 1, error: { line: 2, message: 'front matter must be a map of fields' } };
    }
    return { data: data as Record<string, unknown>, yamlLines, body, bodyStartLine: closing + 1, error: null };
  } catch (error) {
    const { line, reason } = describeYamlError(error);
    return {
      data: null,
      yamlLines,
      body,
      bodyStartLine: closing + 1,
      error: { line, message: `invalid front matter: ${reason}` },
    };
  }
}

/** 1-based file line of a top-level field such as `id:`, or 1 when it is absent. */
export function fieldLine(split: FrontMatterSplit, field: string): number {
  const pattern = new RegExp(`^${field}\\s*:`);
  const index = split.yamlLines.findIndex((line) => pattern.test(line));
  return index === -1 ? 1 : index + 2;
}

function failure(lines: string[], line: number, message: string): FrontMatterSplit {
  return { data: null, yamlLines: [], body: lines.join('\n'), bodyStartLine: 0, error: { line, message } };
}

function describeYamlError(error: unknown): { line: number; reason: string } {
  const yamlError = error as { mark?: { line?: number }; reason?: string; message?: string };
  // js-yaml counts from 0 starting at the opening '---' line, which is file line 1.
  const line = typeof yamlError.mark?.line === 'number' ? yamlError.mark.line + 1 : 1;
  const reason = yamlError.reason ?? yamlError.message ?? String(error);
  return { line, reason };
}
