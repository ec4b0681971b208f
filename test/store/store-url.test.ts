// Where a bot keeps the files that go with its store (the content cache), for each kind of store.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPostgresUrl, localDataDir } from '../../src/store/store-url.js';

describe('localDataDir', () => {
  it('GIVEN a SQLite file THEN its own folder', () => {
    expect(localDataDir('sqlite://data/quizbot.sqlite')).toBe('data');
    expect(localDataDir('sqlite:///srv/quiz/store.sqlite')).toBe('/srv/quiz');
    expect(localDataDir('sqlite://quiz.sqlite')).toBe('.');
  });

  it('GIVEN a PostgreSQL URL THEN data/ under the working folder, for every process started there', () => {
    for (const url of ['postgres://bot@db:5432/quiz', 'postgresql://bot:secret@db/quiz']) {
      expect(isPostgresUrl(url)).toBe(true);
      expect(localDataDir(url)).toBe(join('data'));
    }
  });

  it('GIVEN a store in memory THEN none: nothing is kept', () => {
    expect(localDataDir('sqlite://:memory:')).toBeNull();
  });
});
