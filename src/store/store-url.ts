// Which backend a STORE_URL names, without loading that backend's packages: a SQLite bot never
// loads pg, ioredis or @keyv/postgres (they cost start time and memory).

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}
