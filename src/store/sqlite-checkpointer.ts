// Copies the write-ahead log back into the store file on a worker thread. SQLite does it itself
// (every 1,000 pages of WAL) inside the commit that crosses the mark: with better-sqlite3 that is
// the main thread, and a checkpoint (page copies and two fsyncs) held clicks for 10 to 50 ms on a
// busy machine. A PASSIVE checkpoint on a second connection runs beside the writers instead, and a
// commit is durable in the WAL either way, so "saved" means the same thing.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker looks at the WAL, and how large it may grow before it is copied back. */
const CHECK_EVERY_MS = 250;
const CHECKPOINT_AT_BYTES = 1024 * 1024;

// CommonJS, run by the worker as is: the bundle keeps no separate file for it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.busyTimeout });
db.pragma('cache_size = -256');
const walSize = () => { try { return statSync(workerData.path + '-wal').size; } catch { return 0; } };
const timer = setInterval(() => {
  if (walSize() < workerData.atBytes) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
parentPort.postMessage('ready');
`;

export interface Checkpointer {
  /** Stops the worker and closes its connection; resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `path` from a worker. `onReady` runs once the worker's connection is open
 * (the caller then turns its own automatic checkpoints off); `onFailure` when the worker cannot
 * start or dies (the caller turns them back on).
 */
export function startCheckpointer(
  path: string,
  busyTimeout: number,
  onReady: () => void,
  onFailure: (error: Error) => void,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, driver, busyTimeout, everyMs: CHECK_EVERY_MS, atBytes: CHECKPOINT_AT_BYTES },
    // It allocates next to nothing: a small heap keeps its share of the process's memory small.
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, codeRangeSizeMb: 2 },
  });
  worker.unref();
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (message: unknown) => {
    if (message === 'ready') onReady();
  });
  worker.on('error', (error) => {
    if (!stopping) onFailure(error);
  });
  worker.once('exit', (code) => {
    if (!stopping) onFailure(new Error(`the SQLite checkpoint worker exited with code ${code}`));
  });
  return {
    async stop() {
      stopping = true;
      // Held again until it exits: unref'd, a process with nothing else left would end first.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
