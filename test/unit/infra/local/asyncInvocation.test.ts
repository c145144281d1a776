/** Lambda's asynchronous invocation as the local runtime plays it (infra/local/asyncInvocation.ts): three attempts, then given up. */
import { describe, expect, it, vi } from 'vitest';
import { LAMBDA_RETRY_DELAYS_MS, asyncInvoker, asyncRetryDelays } from '../../../../infra/local/asyncInvocation.ts';

describe('ASYNC_RETRY_DELAYS_MS', () => {
  it("defaults to Lambda's waits (1 and 2 minutes); takes two whole numbers of ms", () => {
    expect(asyncRetryDelays(undefined)).toEqual([60_000, 120_000]);
    expect(asyncRetryDelays(' ')).toBe(LAMBDA_RETRY_DELAYS_MS);
    expect(asyncRetryDelays('1000, 2000')).toEqual([1000, 2000]);
    expect(asyncRetryDelays('0,0')).toEqual([0, 0]);
  });

  it.each(['1000', '1000,2000,3000', 'a,b', '-1,2', '1.5,2'])('refuses %j, saying what it takes', (raw) => {
    expect(() => asyncRetryDelays(raw)).toThrow(/two whole numbers of milliseconds/);
  });
});

describe('an asynchronous invocation', () => {
  it('a failing one runs three times, then is given up with a log line; one that succeeds on a retry stops there', async () => {
    const log: string[] = [];
    const invoker = asyncInvoker({ retryDelaysMs: [1, 1], log: (line) => log.push(line) });
    let failing = 0;
    let flaky = 0;
    invoker.invoke('failing', async () => {
      failing++;
      throw new Error('down');
    });
    invoker.invoke(
      'flaky',
      async () => {
        if (++flaky === 1) throw new Error('blip');
        return 42;
      },
      (result) => `returned ${String(result)}`,
    );
    await vi.waitUntil(() => log.length === 5, { timeout: 2000 });
    await invoker.stop();
    expect(failing).toBe(3);
    expect(flaky).toBe(2);
    expect(log.filter((line) => line.startsWith('failing'))).toEqual([
      'failing → failed (down); retrying in 1 ms',
      'failing → failed (down); retrying in 1 ms',
      'failing → failed 3 times (down); given up: on AWS the event would now wait in the FailedEvents queue',
    ]);
    expect(log.filter((line) => line.startsWith('flaky'))).toEqual(['flaky → failed (blip); retrying in 1 ms', 'flaky → returned 42']);
  });

  it('stop() drops retries not yet due and waits for attempts under way', async () => {
    const log: string[] = [];
    const invoker = asyncInvoker({ retryDelaysMs: [60_000, 60_000], log: (line) => log.push(line) });
    let attempts = 0;
    invoker.invoke('slow', async () => {
      attempts++;
      throw new Error('down');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await invoker.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(attempts).toBe(1);
    expect(log).toEqual(['slow → failed (down); retrying in 60000 ms', 'slow → retry dropped: the local runtime is stopping']);
  });
});
