/**
 * What the notifier does with one change of an area's counters: decide which
 * alerts it calls for, claim them in the alert state, and deliver the claimed ones.
 */
import { logger } from '#commons/logger.ts';
import { alertConfig, type AlertConfig } from './config.ts';
import { deliverAlert, type InvocationClock } from './alertDelivery.ts';
import { alertEmail } from './alertEmail.ts';
import { alertDecisions } from './alertRules.ts';
import { claimCrossing, claimReminder, rearm } from './alertState.ts';
import { alertRecipients, type Recipient } from './recipients.ts';
import type { SeatChange } from './seatChange.ts';

export interface NotifierOptions {
  /** The clock; tests move it to check the once-a-day reminder. */
  now?: () => Date;
}

/** What one batch shares: the settings (read per batch), the recipients (read once, when an alert is due), the clock. */
export class BatchContext implements InvocationClock {
  private recipients?: Promise<Recipient[]>;
  readonly config: AlertConfig;
  /** Areas whose reminder was found not due: a burst of refusals in one batch costs one conditional write, not one each. */
  readonly remindersNotDue = new Set<string>();

  constructor(
    readonly now: () => Date,
    /** The invocation's remaining time; without a Lambda context there is none to wait with. */
    readonly remainingMs: () => number = () => 0,
  ) {
    this.config = alertConfig();
  }

  alertRecipients(): Promise<Recipient[]> {
    this.recipients ??= alertRecipients(this.config.extraRecipients);
    return this.recipients;
  }
}

export async function notifyChange(change: SeatChange, batch: BatchContext): Promise<void> {
  const { area, position, before, after } = change;
  for (const decision of alertDecisions(before, after, batch.config.warningShare)) {
    if (decision.action === 'rearm') {
      if (await rearm(area, decision.kind, position, batch.now())) logger.info('alert re-armed', { area, kind: decision.kind });
      continue;
    }
    if (decision.action === 'remind' && batch.remindersNotDue.has(area)) continue;
    const claimed =
      decision.action === 'remind'
        ? await claimReminder(area, position, batch.now(), batch.config.reminderIntervalHours)
        : await claimCrossing(area, decision.kind, position, batch.now());
    if (!claimed) {
      if (decision.action === 'remind') batch.remindersNotDue.add(area);
      logger.info('alert already claimed or not due', { area, kind: decision.kind, sequence: position.sequence });
      continue;
    }
    if (decision.action === 'fire' && !decision.send) continue;
    // The counters as this change left them: the alert describes the crossing, not a later state.
    const email = alertEmail(decision.kind, after!, {
      licenseRequestUrl: batch.config.licenseRequestUrl,
      at: change.changedAt ?? batch.now(),
    });
    await deliverAlert({ area, kind: decision.kind, position, email }, await batch.alertRecipients(), batch.config.sender, batch);
  }
}
