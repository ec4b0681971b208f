// Placeholder signature; the real loader is being written now.
import type { ContentProblem, Lecture } from './types.js';

export interface LoadedContent {
  lectures: Lecture[];
  problems: ContentProblem[];
  /** How many markdown files were read. */
  fileCount: number;
}

/** Every `.md` file under the given files or folders, sorted, README.md files skipped. */
export function findMarkdownFiles(_paths: string[]): Promise<string[]> {
  throw new Error('not yet');
}

/** Reads every lecture under the paths; never stops at a bad file. */
export function loadContent(_paths: string[]): Promise<LoadedContent> {
  throw new Error('not yet');
}
