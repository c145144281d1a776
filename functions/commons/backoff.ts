/**
 * How long to wait before attempt `attempt` + 1 of something that failed for a passing reason
 * (a conflict, throttling, a list the index has not caught up with): twice as long each time,
 * from `baseMs`, at most `capMs`. With `jitter` (the default), a random share of that ("full
 * jitter"), so callers that collided do not collide again in step.
 */
export function backoffMs(attempt: number, options: { baseMs: number; capMs?: number; jitter?: boolean }): number {
  const { baseMs, capMs = Infinity, jitter = true } = options;
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return jitter ? Math.random() * ceiling : ceiling;
}
