// Why the store could not be opened, in words that point at the setting to fix (STORE_URL, the
// folder's owner) rather than at SQLite's "unable to open database file".

import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';

export class StoreOpenError extends Error {
  constructor(
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot open the store at ${path}: ${reason}`, options);
    this.name = 'StoreOpenError';
  }
}

/** `error` from preparing or opening the file at `path`, explained. */
export function storeOpenError(path: string, error: unknown): StoreOpenError {
  return new StoreOpenError(path, reasonFor(path, error), { cause: error });
}

function reasonFor(path: string, error: unknown): string {
  const code = errorCode(error);
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR': {
      const file = fileAmongFolders(dirname(path));
      return file === undefined
        ? 'a part of the path is a file, not a folder'
        : `${file} is a file, not a folder`;
    }
    case 'EISDIR':
      return 'that is a folder; STORE_URL must name a file in it, e.g. sqlite://data/quizbot.sqlite';
    case 'EACCES':
    case 'EPERM':
      return `no permission to create or write ${pathOf(error) ?? path} (the bot runs as user ${userName()})`;
    case 'EROFS':
      return 'the file system is read-only';
    case 'SQLITE_NOTADB':
      return 'the file is not an SQLite database';
    case 'SQLITE_CORRUPT':
      return 'the database file is damaged; restore it from a backup';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** The nearest existing ancestor of `folder`, when it turns out to be a file. */
function fileAmongFolders(folder: string): string | undefined {
  for (let current = folder; dirname(current) !== current; current = dirname(current)) {
    let stats;
    try {
      stats = statSync(current, { throwIfNoEntry: false });
    } catch {
      continue; // ENOTDIR: a file further up; keep climbing to it
    }
    if (stats !== undefined) return stats.isDirectory() ? undefined : current;
  }
  return undefined;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function pathOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('path' in error)) return undefined;
  return typeof error.path === 'string' ? error.path : undefined;
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}
