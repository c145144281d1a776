/**
 * Local stand-in for the EventBridge schedule of the activation run: calls the
 * same handler every ACTIVATION_INTERVAL_MINUTES (default 40; 0 turns it off).
 * Runs never overlap, as one scheduled invocation at a time would not either.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { loadHandler } from './functions.ts';
import { lambdaContext } from './server.ts';
import { DEFAULT_ACTIVATION_INTERVAL_MINUTES } from '../../functions/activation/schedule.ts';

export function activationIntervalMinutes(text = process.env.ACTIVATION_INTERVAL_MINUTES): number {
  if (text === undefined || text.trim() === '') return DEFAULT_ACTIVATION_INTERVAL_MINUTES;
  const minutes = Number(text);
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new Error(`ACTIVATION_INTERVAL_MINUTES: '${text}' is not a number of minutes (0 turns the run off).`);
  return minutes;
}

function scheduledEvent(at = new Date()): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:000000000000:rule/seatkeeper-activation'],
    detail: {},
  };
}

/** Starts the timer; the returned function stops it. */
export async function startActivationTimer(options: { minutes: number; log?: (line: string) => void }): Promise<() => Promise<void>> {
  const handler = await loadHandler('activation');
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = handler(scheduledEvent(), lambdaContext('activation'))
      .then((summary) => {
        const { activated } = summary as { activated: number };
        if (activated > 0) options.log?.(`activation run: ${activated} waiting user(s) activated`);
      })
      .catch((error: unknown) => options.log?.(`activation run failed: ${(error as Error).message}`))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, options.minutes * 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
