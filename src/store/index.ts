// The store's public surface: open it, record answers, read scores and leaderboards.
export {
  openStore,
  type AnswerInput,
  type AnswerOutcome,
  type OpenStoreOptions,
  type QuizStore,
  type RankedScore,
  type StoreLogger,
  type StoredAnswer,
} from './quiz-store.js';
export { RESERVED_PREFIXES, STORE_NAMESPACE } from './keys.js';
export type { RangeReadOptions, RecordEntry, RecordStore } from './records.js';
export type { KeyValue, KeyvTable } from './sqlite.js';
