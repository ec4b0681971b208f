// Benchmark: load and validate the whole real-world corpus. Run: npx tsx test/bench/content.ts [folder]
// Each run happens in a fresh process so the resident-memory figure is the loader's, not a warm heap's.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadContent } from '../../src/content/load.js';

export const DEFAULT_CORPUS = '../shared/corpus';

export interface ContentFigures {
  files: number;
  lectures: number;
  problems: number;
  loadMs: number;
  rssMb: number;
  baselineRssMb: number;
}

/** Loads the corpus in this process and returns the figures (used by the child). */
async function measureHere(folder: string): Promise<ContentFigures> {
  const baselineRssMb = process.memoryUsage().rss / 1e6;
  const started = performance.now();
  const loaded = await loadContent([folder]);
  const loadMs = performance.now() - started;
  return {
    files: loaded.fileCount,
    lectures: loaded.lectures.length,
    problems: loaded.problems.length,
    loadMs,
    rssMb: process.memoryUsage().rss / 1e6,
    baselineRssMb,
  };
}

/** Runs `runs` fresh child processes and returns each one's figures. */
export function runContentBench(folder = DEFAULT_CORPUS, runs = 5): ContentFigures[] {
  const self = fileURLToPath(import.meta.url);
  const results: ContentFigures[] = [];
  for (let run = 0; run < runs; run++) {
    const output = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', folder], {
      encoding: 'utf8',
    });
    results.push(JSON.parse(output) as ContentFigures);
  }
  return results;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const invokedDirectly = process.argv[1] === fileURLToPath(import.meta.url);
if (invokedDirectly && process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(await measureHere(process.argv[3] ?? DEFAULT_CORPUS)));
} else if (invokedDirectly) {
  const figures = runContentBench(process.argv[2] ?? DEFAULT_CORPUS);
  const first = figures[0];
  console.log(`Corpus: ${first?.files} files, ${first?.lectures} lectures, ${first?.problems} problems`);
  console.log(
    `Load + validate: median ${median(figures.map((f) => f.loadMs)).toFixed(0)} ms over ${figures.length} fresh processes (target < 1000 ms)`,
  );
  console.log(
    `Resident memory after load: median ${median(figures.map((f) => f.rssMb)).toFixed(0)} MB (process before loading: ${median(figures.map((f) => f.baselineRssMb)).toFixed(0)} MB; target < 150 MB)`,
  );
}
