// The messages between the bot and its lecture parser thread (./parse-worker.ts). Plain data: each
// crosses the thread boundary by structured clone.
import type { FileResult } from '../content/load.js';
import type { Lecture } from '../content/types.js';
import type { UploadCheck } from './upload.js';

export interface StoredFile {
  /** The file name, for line messages. */
  name: string;
  source: string;
}

export type ParseRequest =
  | { id: number; kind: 'upload'; name: string; bytes: Uint8Array; maxFileBytes: number }
  | { id: number; kind: 'stored'; files: StoredFile[] }
  | { id: number; kind: 'files'; paths: string[] };

export type ParseResponse =
  | { id: number; kind: 'upload'; check: UploadCheck }
  | { id: number; kind: 'stored'; lectures: (Lecture | null)[] }
  | { id: number; kind: 'files'; results: FileResult[] }
  | { id: number; kind: 'failed'; message: string };
