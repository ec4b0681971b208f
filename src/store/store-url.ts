// Which backend a STORE_URL names, without loading that backend's packages: a SQLite bot never
// loads pg, ioredis or @keyv/postgres (they cost start time and memory).
import { dirname } from 'node:path';

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * The folder for files a bot process keeps beside its store (the content cache): the SQLite file's
 * folder; data/ under the working folder for PostgreSQL (every process of a deployment started there
 * shares it); null for a store in memory, which keeps nothing.
 */
export function localDataDir(url: string): string | null {
  if (isPostgresUrl(url)) return 'data';
  const path = /^sqlite:\/\/(.+)$/.exec(url)?.[1];
  if (path === undefined || path === ':memory:') return null;
  return dirname(path);
}
