import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../src/store/keyed-lock.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('KeyedLock', () => {
  it('GIVEN tasks on one key THEN they run one at a time in call order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([lock.run('k', task('a')), lock.run('k', task('b'))]);
    expect(results).toEqual(['a', 'b']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('GIVEN tasks on different keys THEN they overlap', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
    };
    await Promise.all([lock.run('x', task('a')), lock.run('y', task('b'))]);
    expect(log.slice(0, 2)).toEqual(['a start', 'b start']);
  });

  it('GIVEN a failing task THEN its caller sees the error and the next task still runs', async () => {
    const lock = new KeyedLock();
    const failing = lock.run('k', () => Promise.reject(new Error('boom')));
    const next = lock.run('k', () => Promise.resolve('ran'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });

  it('GIVEN all work has settled THEN no key is held (no leak per user)', async () => {
    const lock = new KeyedLock();
    await Promise.all([lock.run('a', tick), lock.run('b', tick)]);
    await tick();
    expect(lock.activeKeys).toBe(0);
  });
});
