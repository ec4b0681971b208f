// Structured logs (pino): one JSON line per event, so a reference id shown to a user can be found.
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({ level, base: { app: 'quizbot' } });
}
