import { describe, expect, it } from 'vitest';
import { newUserId } from '#core/userId.ts';

describe('newUserId', () => {
  it('is a UUIDv7 and strictly increasing, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => newUserId(1_795_453_200_000));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
