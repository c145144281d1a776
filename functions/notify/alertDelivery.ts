/**
 * Sends one alert to each recipient, one SES message per recipient (addresses
 * stay private, and each message is claimed and recorded on its own).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { ses } from '#clients/ses.ts';
import { logger } from '#commons/logger.ts';
import type { AlertKind } from './alertRules.ts';
import type { AlertEmail } from './alertEmail.ts';
import { claimDelivery, completeDelivery, deliveryKey, releaseDelivery, type DeliveryClaim } from './alertState.ts';
import type { Recipient } from './recipients.ts';
import type { StreamPosition } from './seatChange.ts';

export interface Alert {
  area: string;
  kind: AlertKind;
  /** The change that caused it: with the recipient, it names each message. */
  position: StreamPosition;
  email: AlertEmail;
}

/** Some messages could not be sent; they were released, so a retry of the record sends exactly those. */
export class AlertDeliveryError extends Error {
  constructor(
    readonly alert: Pick<Alert, 'area' | 'kind'>,
    readonly undelivered: string[],
  ) {
    super(`${alert.kind} alert for area ${alert.area}: ${undelivered.length} message(s) not sent yet (${undelivered.join(', ')})`);
    this.name = 'AlertDeliveryError';
  }
}

async function send(sender: string, address: string, email: AlertEmail): Promise<string | undefined> {
  const utf8 = (Data: string) => ({ Data, Charset: 'UTF-8' });
  const result = await ses.send(
    new SendEmailCommand({
      Source: sender,
      Destination: { ToAddresses: [address] },
      Message: { Subject: utf8(email.subject), Body: { Text: utf8(email.text), Html: utf8(email.html) } },
    }),
  );
  return result.MessageId;
}

/** The invocation's clock, and how long it may still run (Lambda's remaining time; 0 without a Lambda context). */
export interface InvocationClock {
  now: () => Date;
  remainingMs: () => number;
}

/** Kept back after waiting for a claim: time to send this message and the rest, and record them. */
const SEND_RESERVE_MS = 10_000;
/** A claim lapses once the clock is past its lease: wait this much beyond it. */
const PAST_LEASE_MS = 100;

/**
 * Claims one message. When another invocation holds it, waits for that claim to
 * lapse and tries once more. With one invocation per shard at a time, a retry
 * meets a claim still held when the invocation that made it died between claiming
 * and sending; failing at once would let Lambda spend every retry, one quick failure
 * each, inside the lease and send the batch to the failure queue. Waiting, up to
 * the time this invocation can spare, either takes the claim over or uses up this
 * attempt's time, so two attempts always outlast a lease (about one timeout).
 */
async function claimOrAwait(key: { pk: string; sk: string }, clock: InvocationClock): Promise<DeliveryClaim> {
  const claim = await claimDelivery(key, clock.now());
  if (claim.outcome !== 'in-flight') return claim;
  const waitMs = Math.min(claim.lapsesAt.getTime() - clock.now().getTime() + PAST_LEASE_MS, clock.remainingMs() - SEND_RESERVE_MS);
  if (waitMs <= 0) return claim;
  await sleep(waitMs);
  return claimDelivery(key, clock.now());
}

/** Returns how many messages this call sent; throws AlertDeliveryError when any is still owed. */
export async function deliverAlert(
  alert: Alert,
  recipients: readonly Recipient[],
  sender: string,
  clock: InvocationClock,
): Promise<number> {
  const undelivered: string[] = [];
  let sent = 0;
  // One after another: admins are few, and SES's per-second send rate is the limit that matters.
  for (const recipient of recipients) {
    const key = deliveryKey(alert.area, alert.kind, alert.position, recipient.address);
    const claim = await claimOrAwait(key, clock);
    if (claim.outcome === 'sent') continue;
    if (claim.outcome === 'in-flight') {
      undelivered.push(`${recipient.label} (claimed by another invocation until ${claim.lapsesAt.toISOString()})`);
      continue;
    }
    let messageId: string | undefined;
    try {
      messageId = await send(sender, recipient.address, alert.email);
    } catch (error) {
      await releaseDelivery(key, claim.token);
      // Only the error's name and status: SES messages can quote the address.
      logger.error('alert email not sent; released for retry', {
        area: alert.area,
        kind: alert.kind,
        recipient: recipient.label,
        errorName: (error as Error).name,
        httpStatus: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
      });
      undelivered.push(recipient.label);
      continue;
    }
    // SES has the message: releasing the claim now would make the retry send it again. If
    // recording it fails (after the SDK's own retries), the error fails the record and the claim
    // stays; a retry takes it over once it lapses and sends this one message again: a rare
    // duplicate rather than a lost alert.
    await completeDelivery(key, claim.token, clock.now(), messageId).catch((error: unknown) => {
      logger.error('alert email sent but not recorded; it may be sent again after its claim lapses', {
        area: alert.area,
        kind: alert.kind,
        recipient: recipient.label,
        errorName: (error as Error).name,
      });
      throw error;
    });
    sent += 1;
  }
  logger.info('alert delivered', {
    area: alert.area,
    kind: alert.kind,
    recipients: recipients.length,
    sent,
    undelivered: undelivered.length,
  });
  if (undelivered.length) throw new AlertDeliveryError(alert, undelivered);
  return sent;
}
