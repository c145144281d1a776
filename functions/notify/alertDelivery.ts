/**
 * Sends one alert to each recipient, one SES message per recipient (addresses
 * stay private, and each message is claimed and recorded on its own).
 */
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { ses } from '#clients/ses.ts';
import { logger } from '#commons/logger.ts';
import type { AlertKind } from './alertRules.ts';
import type { AlertEmail } from './alertEmail.ts';
import { claimDelivery, completeDelivery, deliveryKey, releaseDelivery } from './alertState.ts';
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

/** Returns how many messages this call sent; throws AlertDeliveryError when any is still owed. */
export async function deliverAlert(alert: Alert, recipients: readonly Recipient[], sender: string, now: () => Date): Promise<number> {
  const undelivered: string[] = [];
  let sent = 0;
  // One after another: admins are few, and SES's per-second send rate is the limit that matters.
  for (const recipient of recipients) {
    const key = deliveryKey(alert.area, alert.kind, alert.position, recipient.address);
    const claim = await claimDelivery(key, now());
    if (claim.outcome === 'sent') continue;
    if (claim.outcome === 'in-flight') {
      undelivered.push(`${recipient.label} (being sent by another invocation)`);
      continue;
    }
    try {
      const messageId = await send(sender, recipient.address, alert.email);
      await completeDelivery(key, claim.token, now(), messageId);
      sent += 1;
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
    }
  }
  logger.info('alert delivered', { area: alert.area, kind: alert.kind, recipients: recipients.length, sent, undelivered: undelivered.length });
  if (undelivered.length) throw new AlertDeliveryError(alert, undelivered);
  return sent;
}
