// Every key the quiz store writes, in one place. Keys sit under the Keyv namespace, so on disk a
// score is `quizbot:score:{guild}:{user}`. Guild and user ids may not contain ':' (Discord
// snowflakes never do), which keeps `score:{guild}:` a prefix of exactly that guild's scores.
// The question key comes last, so it may contain ':' freely.

export const STORE_NAMESPACE = 'quizbot';

/** Prefixes the quiz store owns; other features using `store.keyv` must pick their own. */
export const RESERVED_PREFIXES = ['score:', 'answer:', 'meta:'] as const;

export function scoreKey(guildId: string, userId: string): string {
  return `${guildScorePrefix(guildId)}${checkId('userId', userId)}`;
}

/** Every score of one guild starts with this. */
export function guildScorePrefix(guildId: string): string {
  return `score:${checkId('guildId', guildId)}:`;
}

export function answerKey(guildId: string, userId: string, questionKey: string): string {
  if (questionKey.length === 0) throw new TypeError('questionKey must not be empty');
  return `answer:${checkId('guildId', guildId)}:${checkId('userId', userId)}:${questionKey}`;
}

export function metaKey(key: string): string {
  if (key.length === 0) throw new TypeError('meta key must not be empty');
  return `meta:${key}`;
}

function checkId(name: string, value: string): string {
  if (value.length === 0 || value.includes(':')) {
    throw new TypeError(`${name} must be non-empty and contain no ':', got ${JSON.stringify(value)}`);
  }
  return value;
}
