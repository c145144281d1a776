/**
 * Lambda's asynchronous invocation, locally. An S3 notification and an
 * InvokeCommand with InvocationType Event both hand Lambda the event and
 * return; Lambda runs the function and, when it fails, runs it twice more
 * (about one minute, then two minutes later), then gives the event to the
 * function's on-failure destination (FailedEvents in the stack). Here: the same
 * three attempts, with delays that can be shortened (tests, impatient
 * developers), then a log line saying the event failed.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Lambda's waits before its two retries of a failed asynchronous invocation. */
export const LAMBDA_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];

/** `ASYNC_RETRY_DELAYS_MS` (two comma-separated waits in ms, e.g. "1000,2000"), else Lambda's own. */
export function asyncRetryDelays(raw = process.env.ASYNC_RETRY_DELAYS_MS): readonly number[] {
  if (raw === undefined || raw.trim() === '') return LAMBDA_RETRY_DELAYS_MS;
  const delays = raw.split(',').map((part) => Number(part.trim()));
  if (delays.length !== LAMBDA_RETRY_DELAYS_MS.length || delays.some((delay) => !Number.isInteger(delay) || delay < 0)) {
    throw new Error(`ASYNC_RETRY_DELAYS_MS must be two whole numbers of milliseconds, e.g. "60000,120000" (Lambda's); got '${raw}'`);
  }
  return delays;
}

export interface AsyncInvoker {
  /** Runs `attempt` now and, while it fails, again after each delay; `describe` says how a successful attempt ended. */
  invoke(label: string, attempt: () => Promise<unknown>, describe?: (result: unknown) => string): void;
  /** Drops the retries still waiting and waits for the attempts under way. */
  stop(): Promise<void>;
}

export function asyncInvoker(options: { retryDelaysMs?: readonly number[]; log?: (line: string) => void } = {}): AsyncInvoker {
  const delays = options.retryDelaysMs ?? LAMBDA_RETRY_DELAYS_MS;
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();

  const run = async (label: string, attempt: () => Promise<unknown>, describe: (result: unknown) => string) => {
    for (let failures = 0; ;) {
      try {
        const result = await attempt();
        options.log?.(`${label} → ${describe(result)}`);
        return;
      } catch (error) {
        failures++;
        const delay = delays[failures - 1];
        const reason = (error as Error).message;
        if (delay === undefined) {
          options.log?.(
            `${label} → failed ${failures} times (${reason}); given up: on AWS the event would now wait in the FailedEvents queue`,
          );
          return;
        }
        options.log?.(`${label} → failed (${reason}); retrying in ${delay} ms`);
        try {
          await sleep(delay, undefined, { signal: stopping.signal });
        } catch {
          options.log?.(`${label} → retry dropped: the local runtime is stopping`);
          return;
        }
      }
    }
  };

  return {
    invoke(label, attempt, describe = () => 'done') {
      const running = run(label, attempt, describe).finally(() => inFlight.delete(running));
      inFlight.add(running);
    },
    async stop() {
      stopping.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
