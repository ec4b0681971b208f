import { describe, expect, it } from 'vitest';
import { formatBytes, formatSizeAgainstLimit } from '../../src/library/limits.js';
import { tooLargeReason } from '../../src/library/upload.js';

describe('sizes in upload refusals', () => {
  it('GIVEN sizes THEN they read as Discord shows them', () => {
    expect(formatBytes(1024 * 1024)).toBe('1 MB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(900)).toBe('900 bytes');
  });

  it('GIVEN a file one byte over 1 MB THEN the refusal does not call both sizes "1 MB"', () => {
    expect(tooLargeReason(1024 * 1024 + 1, 1024 * 1024)).toBe(
      'too large: 1,048,577 bytes, and a lecture file may be at most 1,048,576 bytes',
    );
  });

  it('GIVEN a size clearly over the limit THEN both stay short', () => {
    expect(formatSizeAgainstLimit(3 * 1024 * 1024, 1024 * 1024)).toEqual({ size: '3 MB', limit: '1 MB' });
  });
});
