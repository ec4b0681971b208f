// Parses lecture files in a worker thread (./parse-worker.ts), one job at a time, so that a 1 MB
// upload of 100,000 lines never blocks clicks. An upload's check has a time budget: past it the
// thread is terminated (the next job starts a fresh one) and the upload is refused. Budgets are
// real time, not the bot's clock: they bound real CPU work.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileResult } from '../content/load.js';
import type { Lecture } from '../content/types.js';
import type { ParseRequest, ParseResponse, StoredFile } from './parse-jobs.js';
import type { UploadCheck } from './upload.js';

export type { StoredFile } from './parse-jobs.js';

/** The upload's check took longer than the budget; nothing of it was kept. */
export class ParseTimeout extends Error {
  constructor(readonly budgetMs: number) {
    super(`parsing took longer than ${budgetMs} ms`);
    this.name = 'ParseTimeout';
  }
}

export interface LectureParser {
  /** checkUpload in the parser thread; rejects with ParseTimeout past the budget. */
  checkUpload(name: string, bytes: Uint8Array, maxFileBytes: number): Promise<UploadCheck>;
  /** Stored lectures (they passed their check when uploaded), null where one no longer parses. */
  parseStored(files: readonly StoredFile[]): Promise<(Lecture | null)[]>;
  /** Content folder files, read and parsed as parseFile does, FILES_PER_JOB to a job. */
  parseFiles(paths: readonly string[]): Promise<FileResult[]>;
  /** Ends the thread; jobs still queued are rejected. */
  close(): Promise<void>;
}

type JobRequest = ParseRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

interface Job {
  request: JobRequest;
  /** Null: no budget (stored lectures, which were checked within one when uploaded). */
  budgetMs: number | null;
  resolve: (response: ParseResponse) => void;
  reject: (error: unknown) => void;
}

export interface WorkerParserOptions {
  /** An upload's check budget, in milliseconds. */
  uploadBudgetMs: number;
  /** The thread's heap limit in MB (PARSER_HEAP_MB by default). */
  heapMb?: number;
}

/**
 * The parser thread's heap limit. A server's stored lectures (20 MB at most, parsed in one job) take
 * about 40 MB; past the limit only the thread dies (its job is refused, the next starts a fresh
 * one) instead of the whole bot growing until the machine kills it.
 */
export const PARSER_HEAP_MB = 256;

/** Content folder files a job carries: decoding a job's results holds the main thread a few ms. */
export const FILES_PER_JOB = 100;

export class WorkerParser implements LectureParser {
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private running: { job: Job; id: number; timer: NodeJS.Timeout | null } | null = null;
  private nextId = 1;
  private closed = false;
  /** Threads started so far (each timeout costs one). */
  started = 0;

  constructor(private readonly options: WorkerParserOptions) {}

  async checkUpload(name: string, bytes: Uint8Array, maxFileBytes: number): Promise<UploadCheck> {
    const response = await this.run(
      { kind: 'upload', name, bytes, maxFileBytes },
      this.options.uploadBudgetMs,
    );
    if (response.kind !== 'upload') throw new Error(`unexpected parser response ${response.kind}`);
    return response.check;
  }

  async parseStored(files: readonly StoredFile[]): Promise<(Lecture | null)[]> {
    if (files.length === 0) return [];
    const response = await this.run({ kind: 'stored', files: [...files] }, null);
    if (response.kind !== 'stored') throw new Error(`unexpected parser response ${response.kind}`);
    return response.lectures;
  }

  async parseFiles(paths: readonly string[]): Promise<FileResult[]> {
    const results: FileResult[] = [];
    // Several jobs, not one: each answer is decoded on the main thread, and a small one is a short pause.
    for (let start = 0; start < paths.length; start += FILES_PER_JOB) {
      const response = await this.run(
        { kind: 'files', paths: paths.slice(start, start + FILES_PER_JOB) },
        null,
      );
      if (response.kind !== 'files') throw new Error(`unexpected parser response ${response.kind}`);
      results.push(...response.results);
    }
    return results;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the lecture parser is closed'));
    if (this.running) this.finish(new Error('the lecture parser is closed'));
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private run(request: JobRequest, budgetMs: number | null): Promise<ParseResponse> {
    if (this.closed) return Promise.reject(new Error('the lecture parser is closed'));
    return new Promise<ParseResponse>((resolve, reject) => {
      this.queue.push({ request, budgetMs, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.running !== null || this.closed) return;
    const job = this.queue.shift();
    if (job === undefined) return;
    const id = this.nextId++;
    const worker = this.ensureWorker();
    const timer =
      job.budgetMs === null
        ? null
        : setTimeout(() => {
            // The thread may be stuck in the parse: only terminating it frees the CPU.
            this.worker = null;
            void worker.terminate();
            this.finish(new ParseTimeout(job.budgetMs ?? 0));
          }, job.budgetMs);
    timer?.unref();
    this.running = { job, id, timer };
    worker.postMessage({ ...job.request, id });
  }

  /** Settles the running job (a response, or the error), then starts the next. */
  private finish(outcome: ParseResponse | Error): void {
    const running = this.running;
    if (running === null) return;
    this.running = null;
    if (running.timer !== null) clearTimeout(running.timer);
    if (outcome instanceof Error) running.job.reject(outcome);
    else if (outcome.kind === 'failed')
      running.job.reject(new Error(`the lecture parser failed: ${outcome.message}`));
    else running.job.resolve(outcome);
    this.next();
  }

  private ensureWorker(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = startWorker(this.options.heapMb ?? PARSER_HEAP_MB);
    this.started += 1;
    worker.unref();
    worker.on('message', (response: ParseResponse) => {
      if (this.worker === worker && this.running?.id === response.id) this.finish(response);
    });
    const lost = (error: Error): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.finish(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the lecture parser thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}

/**
 * The compiled bot has dist/parse-worker.js (this code is in dist/index.js or, split by the build, in
 * a chunk under dist/chunks/). From source (tests, npm run dev) the worker is TypeScript: the thread
 * registers tsx's loader before importing it.
 */
function startWorker(heapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: heapMb };
  const compiled = [
    new URL('./parse-worker.js', import.meta.url),
    new URL('../parse-worker.js', import.meta.url),
  ].find((url) => existsSync(fileURLToPath(url)));
  if (compiled) return new Worker(compiled, { resourceLimits });
  const source = new URL('./parse-worker.ts', import.meta.url).href;
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(
    join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
  ).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`,
    { eval: true, resourceLimits },
  );
}
