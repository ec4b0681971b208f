// Benchmark: load and validate the whole real-world corpus, against the time it takes just to read its
// files. Run: npx tsx test/bench/content.ts [folder] [--runs=N]
// Every figure comes from a fresh process (so the resident memory is the loader's, not a warm heap's),
// and the kinds of run alternate:
//   read       find the files and read each one: the floor any loader pays;
//   uncached   the loader with no cache (as it was before the cache);
//   unchanged  the loader with a cache written by an earlier start, nothing changed since;
//   changed    the loader with a cache, every file edited since it was written (a line added at
//              its end, so its size, time and text all change and every file is parsed again).
// The corpus is copied to a temporary folder first, so that its files can be edited.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContentCache } from '../../src/content/cache.js';
import { findMarkdownFiles, loadContent } from '../../src/content/load.js';
import { ROOT, builtBot, compiledForBench, startFlags } from './bot-process.js';

export const DEFAULT_CORPUS = '../shared/corpus';

export type ContentRun = 'read' | 'uncached' | 'unchanged' | 'changed';

export interface ContentFigures {
  run: ContentRun;
  files: number;
  lectures: number;
  problems: number;
  /** Finding and reading (or loading) every file, cache file included (ms). */
  loadMs: number;
  /** Writing the cache afterwards, when it changed (ms; 0 when nothing was written). */
  saveMs: number;
  /** CPU time of the load (ms): steadier than wall time on a machine others share. */
  cpuMs: number;
  rssMb: number;
  baselineRssMb: number;
}

/** One run in this process (used by the child). */
async function measureHere(run: ContentRun, folder: string, cacheFile: string): Promise<ContentFigures> {
  const baselineRssMb = process.memoryUsage().rss / 1e6;
  const cpuBefore = process.cpuUsage();
  let cpuAfterLoad = cpuBefore;
  const started = performance.now();
  let figures: Omit<ContentFigures, 'saveMs' | 'loadMs' | 'cpuMs' | 'rssMb' | 'baselineRssMb'>;
  let saveMs = 0;
  if (run === 'read') {
    const files = await findMarkdownFiles([folder]);
    for (const file of files) readFileSync(file, 'utf8');
    figures = { run, files: files.length, lectures: 0, problems: 0 };
    cpuAfterLoad = process.cpuUsage();
  } else {
    const cache = run === 'uncached' ? undefined : ContentCache.open(cacheFile);
    const loaded = await loadContent([folder], cache ? { cache } : {});
    figures = {
      run,
      files: loaded.fileCount,
      lectures: loaded.lectures.length,
      problems: loaded.problems.length,
    };
    cpuAfterLoad = process.cpuUsage();
    if (cache?.stale) {
      const saveStarted = performance.now();
      cache.save();
      saveMs = performance.now() - saveStarted;
    }
  }
  const loadMs = performance.now() - started - saveMs;
  const cpuMs = (cpuAfterLoad.user + cpuAfterLoad.system - cpuBefore.user - cpuBefore.system) / 1000;
  return { ...figures, loadMs, saveMs, cpuMs, rssMb: process.memoryUsage().rss / 1e6, baselineRssMb };
}

let compiledChild: string | undefined;

/**
 * One run in a fresh process that loads content as the bot does: this file bundled as the bot is (and
 * beside the bot's build, whose dist/vendor/ holds the parser's libraries), with `npm start`'s node
 * options. Through tsx the loader's modules, and the libraries it requires, would load another way.
 */
function child(run: ContentRun, folder: string, cacheFile: string): ContentFigures {
  if (compiledChild === undefined) {
    builtBot();
    compiledChild = compiledForBench(relative(ROOT, fileURLToPath(import.meta.url)));
  }
  const output = execFileSync(
    process.execPath,
    [...startFlags(), compiledChild, '--child', run, folder, cacheFile],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(output) as ContentFigures;
}

/** Adds an empty line at the end of every markdown file under `folder`. */
async function editAll(folder: string): Promise<void> {
  for (const file of await findMarkdownFiles([folder])) appendFileSync(file, '\n');
}

/**
 * `runs` rounds of read, uncached, unchanged and changed, each in a fresh process, over a copy of
 * `folder`; the figures of every run.
 */
export async function runContentBench(folder = DEFAULT_CORPUS, runs = 5): Promise<ContentFigures[]> {
  const work = mkdtempSync(join(tmpdir(), 'quizbot-bench-content-'));
  const copy = join(work, 'corpus');
  const cacheFile = join(work, 'data', 'content-cache.jsonl');
  try {
    cpSync(folder, copy, { recursive: true });
    // An earlier start wrote the cache.
    child('changed', copy, cacheFile);
    const results: ContentFigures[] = [];
    for (let round = 0; round < runs; round++) {
      results.push(child('read', copy, cacheFile));
      results.push(child('uncached', copy, cacheFile));
      results.push(child('unchanged', copy, cacheFile));
      await editAll(copy);
      results.push(child('changed', copy, cacheFile));
    }
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export interface ContentSummary {
  readMs: number;
  uncachedMs: number;
  unchangedMs: number;
  changedMs: number;
  /** Writing the cache after the all-changed load. */
  changedSaveMs: number;
  /** Median over rounds of each round's load / read. */
  unchangedRatio: number;
  changedRatio: number;
  uncachedRatio: number;
  /** The same ratios of CPU time. */
  unchangedCpuRatio: number;
  changedCpuRatio: number;
  uncachedCpuRatio: number;
  /** Resident memory after the uncached and the unchanged load, and before loading (MB). */
  uncachedRssMb: number;
  unchangedRssMb: number;
  baselineRssMb: number;
  files: number;
  lectures: number;
}

export function summarizeContent(figures: ContentFigures[]): ContentSummary {
  const of = (run: ContentRun) => figures.filter((f) => f.run === run);
  const med = (run: ContentRun, pick: (f: ContentFigures) => number) => median(of(run).map(pick));
  const reads = of('read');
  const ratio = (run: ContentRun, pick: (f: ContentFigures) => number = (f) => f.loadMs) =>
    median(
      of(run).map(
        (f, round) => pick(f) / pick(reads[round] ?? { ...f, loadMs: Number.NaN, cpuMs: Number.NaN }),
      ),
    );
  const cpu = (f: ContentFigures) => f.cpuMs;
  return {
    readMs: med('read', (f) => f.loadMs),
    uncachedMs: med('uncached', (f) => f.loadMs),
    unchangedMs: med('unchanged', (f) => f.loadMs),
    changedMs: med('changed', (f) => f.loadMs),
    changedSaveMs: med('changed', (f) => f.saveMs),
    unchangedRatio: ratio('unchanged'),
    changedRatio: ratio('changed'),
    uncachedRatio: ratio('uncached'),
    unchangedCpuRatio: ratio('unchanged', cpu),
    changedCpuRatio: ratio('changed', cpu),
    uncachedCpuRatio: ratio('uncached', cpu),
    uncachedRssMb: med('uncached', (f) => f.rssMb),
    unchangedRssMb: med('unchanged', (f) => f.rssMb),
    baselineRssMb: med('uncached', (f) => f.baselineRssMb),
    files: of('uncached')[0]?.files ?? 0,
    lectures: of('uncached')[0]?.lectures ?? 0,
  };
}

const invokedDirectly = process.argv[1] === fileURLToPath(import.meta.url);
if (invokedDirectly && process.argv[2] === '--child') {
  const [run, folder, cacheFile] = process.argv.slice(3) as [ContentRun, string, string];
  process.stdout.write(JSON.stringify(await measureHere(run, folder, cacheFile)));
} else if (invokedDirectly) {
  const folder = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? DEFAULT_CORPUS;
  const runs = Number(process.argv.find((arg) => arg.startsWith('--runs='))?.slice('--runs='.length) ?? 5);
  const figures = await runContentBench(folder, runs);
  for (const f of figures) {
    console.log(
      `${f.run.padEnd(9)} ${f.loadMs.toFixed(0).padStart(5)} ms (cpu ${f.cpuMs.toFixed(0)})${f.saveMs ? ` + save ${f.saveMs.toFixed(0)} ms` : ''}`,
    );
  }
  const s = summarizeContent(figures);
  console.log(`Corpus: ${s.files} files, ${s.lectures} lectures`);
  console.log(`Plain reads: median ${s.readMs.toFixed(0)} ms`);
  console.log(
    `No cache: ${s.uncachedMs.toFixed(0)} ms (${s.uncachedRatio.toFixed(2)} x reads; cpu ${s.uncachedCpuRatio.toFixed(2)} x)`,
  );
  console.log(
    `Cache, nothing changed: ${s.unchangedMs.toFixed(0)} ms (${s.unchangedRatio.toFixed(2)} x reads; cpu ${s.unchangedCpuRatio.toFixed(2)} x; target <= 3)`,
  );
  console.log(
    `Cache, every file changed: ${s.changedMs.toFixed(0)} ms + ${s.changedSaveMs.toFixed(0)} ms to save (${s.changedRatio.toFixed(2)} x reads; cpu ${s.changedCpuRatio.toFixed(2)} x; target <= 6)`,
  );
  console.log(
    `RSS after load: ${s.uncachedRssMb.toFixed(0)} MB uncached, ${s.unchangedRssMb.toFixed(0)} MB from the cache (before: ${s.baselineRssMb.toFixed(0)} MB)`,
  );
}
