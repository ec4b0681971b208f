// Placeholder signature; the real parser is being written now.
import type { ParseResult } from './types.js';

export function parseLecture(_source: string, _path: string): ParseResult {
  throw new Error('not yet');
}
