/**
 * When an area's counters call for an alert. Pure: it compares the counters
 * before and after one change, so each crossing is one stream record, however
 * many requests raced to cause it (a counter item's updates are serialised).
 */
import type { AreaSeats } from '#core/seatCounter.ts';

/**
 * - full: active reached the limit.
 * - warning: active reached the warning share of the limit (early warning).
 * - pending: directory users started waiting for a seat (pending went from 0 to more).
 * - reminder: the area is still full and creations keep being refused.
 */
export type AlertKind = 'full' | 'warning' | 'pending' | 'reminder';
export type CrossingKind = Exclude<AlertKind, 'reminder'>;

export type AlertDecision =
  /** The level was crossed upwards: claim the crossing; `send` is false when a bigger alert of the same change covers it. */
  | { action: 'fire'; kind: CrossingKind; send: boolean }
  /** The level was left: the next crossing alerts again. */
  | { action: 'rearm'; kind: CrossingKind }
  /** New refusals in a full area: remind, at most once per interval. */
  | { action: 'remind'; kind: 'reminder' };

/**
 * The active count at which the early warning fires: never 0, so an empty area is never "nearly
 * full", and below the limit (unless the share is 1: off), so a small area warns when one seat is left.
 */
const warningThreshold = (limit: number, share: number) =>
  Math.max(1, share >= 1 ? limit : Math.min(Math.ceil(limit * share - 1e-9), limit - 1));

/** A limit of 0 closes an area on purpose: it is never "full" in the alerting sense. */
const isFull = (seats: AreaSeats | undefined) => !!seats && seats.limit > 0 && seats.active >= seats.limit;

const levels = (share: number): Record<CrossingKind, (seats: AreaSeats | undefined) => boolean> => ({
  full: isFull,
  warning: (seats) => !!seats && seats.limit > 0 && seats.active >= warningThreshold(seats.limit, share),
  pending: (seats) => !!seats && seats.pending > 0,
});

export function alertDecisions(before: AreaSeats | undefined, after: AreaSeats | undefined, warningShare: number): AlertDecision[] {
  const decisions: AlertDecision[] = [];
  const level = levels(warningShare);
  for (const kind of ['full', 'warning', 'pending'] as const) {
    const was = level[kind](before);
    const is = level[kind](after);
    if (!was && is) decisions.push({ action: 'fire', kind, send: !(kind === 'warning' && isFull(after)) });
    if (was && !is) decisions.push({ action: 'rearm', kind });
  }
  const newRefusals = (after?.refused ?? 0) > (before?.refused ?? 0);
  const firesFull = decisions.some((d) => d.action === 'fire' && d.kind === 'full');
  if (newRefusals && isFull(after) && !firesFull) decisions.push({ action: 'remind', kind: 'reminder' });
  return decisions;
}
