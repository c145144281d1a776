/** The alert state's conditional writes on their own: one claim per crossing, re-armed by a newer change. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { claimCrossing, rearm } from '../../functions/notify/alertState.ts';

const at = (n: number) => ({ stream: 'arn:aws:dynamodb:local:stream/test', sequence: String(n).padStart(21, '0') });

describe('claimCrossing', () => {
  it('a fired crossing is not claimed by a later change until a newer change re-arms it', async () => {
    const area = `claim-${randomUUID().slice(0, 8)}`;
    const now = new Date();
    expect(await claimCrossing(area, 'full', at(100), now)).toBe(true);
    expect(await claimCrossing(area, 'full', at(100), now)).toBe(true); // a retry of the same change resumes
    expect(await claimCrossing(area, 'full', at(200), now)).toBe(false); // already fired
    expect(await rearm(area, 'full', at(300), now)).toBe(true);
    expect(await claimCrossing(area, 'full', at(400), now)).toBe(true);
  });
});
