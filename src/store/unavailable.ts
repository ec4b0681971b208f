// A database that cannot be reached (stopped, restarting, the network between) is not a bug: the
// member is told to try again in a moment, nothing they were told is lost, and the pool reconnects
// by itself once the database is back.

/** Raised by the store when the database could not be reached; the write did not happen. */
export class StoreUnavailableError extends Error {
  constructor(options?: ErrorOptions) {
    super('the database is not reachable right now', options);
    this.name = 'StoreUnavailableError';
  }
}

/** Node's codes for a connection that failed or broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * PostgreSQL SQLSTATEs that mean "not now" rather than "wrong": connection exceptions (08...),
 * the server shutting down or starting (57P01-57P03), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[123]|53300)$/;

/** pg's own wording for a connection that ended or could not be had in time. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i;

/** True when `error` (or what caused it) says the database could not be reached. */
export function isStoreUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth += 1) {
    if (current instanceof StoreUnavailableError) return true;
    if (typeof current !== 'object' || current === null) return false;
    const code = 'code' in current && typeof current.code === 'string' ? current.code : '';
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code)) return true;
    if (current instanceof Error && UNAVAILABLE_MESSAGES.test(current.message)) return true;
    if (current instanceof AggregateError && current.errors.some((inner) => isStoreUnavailable(inner)))
      return true;
    current = 'cause' in current ? current.cause : undefined;
  }
  return false;
}

/** `error` as a StoreUnavailableError when it is one in substance; otherwise unchanged. */
export function asUnavailable(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !isStoreUnavailable(error)) return error;
  return new StoreUnavailableError({ cause: error });
}
