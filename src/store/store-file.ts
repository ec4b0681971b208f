// The SQLite file the store writes to, and the check that it is still there. SQLite writes through
// the file descriptors it opened, so after `rm -rf data/` (or a file moved over it) every write
// still succeeds, into a file nobody can reach, and is gone at exit. Checking the path after each
// commit turns that into an error before anyone is told that something was saved.

import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Raised by the first statement to find the store file gone, and by every write after it. */
export class StoreFileLostError extends Error {
  constructor(
    readonly path: string,
    what: string,
  ) {
    super(
      `the store file ${path} ${what} while the bot was running, so nothing more can be saved ` +
        `(SQLite would go on writing into the lost file). Restore the file from a backup if you ` +
        `have one, then start the bot again; without one it starts with a new, empty store.`,
    );
    this.name = 'StoreFileLostError';
  }
}

interface Identity {
  dev: bigint;
  ino: bigint;
}

/**
 * Creates the file (and its folders) on a first start, so that its identity is known before SQLite
 * opens it; SQLite takes an empty file as an empty database. Errors are Node's, with the path.
 * `onLost` hears of the first failed check.
 */
export function prepareStoreFile(
  path: string,
  onLost: (error: StoreFileLostError) => void = () => undefined,
): Promise<StoreFile> {
  // Synchronous, as SQLite's own open is: at start-up the thread pool is busy with the content
  // folder's reads, and three round trips through it waited behind them.
  try {
    mkdirSync(dirname(path), { recursive: true });
    closeSync(openSync(path, 'a'));
    const stats = statSync(path, { bigint: true });
    return Promise.resolve(new StoreFile(path, { dev: stats.dev, ino: stats.ino }, onLost));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

export class StoreFile {
  private reported = false;

  constructor(
    readonly path: string,
    private readonly opened: Identity,
    private readonly onLost: (error: StoreFileLostError) => void,
  ) {}

  /**
   * Throws StoreFileLostError unless `path` still names the file that was opened (same device and
   * inode). A synchronous stat: about 3 µs on a local disk, once per write statement, where a
   * thread-pool round trip would cost ten times that and queue behind SQLite's own work.
   */
  verify(): void {
    try {
      this.check();
    } catch (error) {
      if (!this.reported && error instanceof StoreFileLostError) {
        this.reported = true;
        this.onLost(error);
      }
      throw error;
    }
  }

  private check(): void {
    let now: Identity | undefined;
    try {
      now = statSync(this.path, { bigint: true, throwIfNoEntry: false });
    } catch (error) {
      // ENOTDIR (a file where data/ was) and the like: the path no longer leads to the file.
      throw new StoreFileLostError(this.path, `could no longer be found (${errorText(error)})`);
    }
    if (now === undefined) throw new StoreFileLostError(this.path, 'was deleted');
    if (now.dev !== this.opened.dev || now.ino !== this.opened.ino) {
      throw new StoreFileLostError(this.path, 'was replaced by another file');
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
