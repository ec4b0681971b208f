// The store's public surface: open it, record answers, read scores and leaderboards.
export {
  openStore,
  type AnswerInput,
  type AnswerOutcome,
  type KeyValueStore,
  type OpenStoreOptions,
  type QuizStore,
  type RankedScore,
  type StoreLogger,
  type StepLocks,
  type StoredAnswer,
} from './quiz-store.js';
export { StoreUnavailableError, isStoreUnavailable } from './unavailable.js';
export { RESERVED_PREFIXES, STORE_NAMESPACE } from './keys.js';
export type { RangeReadOptions, RecordEntry, RecordStore } from './records.js';
export type { KeyValue, StoreTable, StoredValueDecoder } from './backend.js';
