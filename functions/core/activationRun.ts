/**
 * One activation run: the licence waiting list moves, oldest first, while
 * seats are free (core waitingList.ts). The scheduled run does every area; a
 * people administrator can run it now for one area or all (POST /pending/activate).
 */
import { areaNotFound } from './errors.ts';
import { readArea, readAreas } from './seatCounter.ts';
import { activateWaiting, activateWaitingEverywhere, type ActivationResult } from './waitingList.ts';
import { logger } from '#commons/logger.ts';

export interface AreaActivation {
  area: string;
  /** Ids of the users activated by this run, oldest first. */
  activated: string[];
  /** Still waiting after the run. */
  pending: number;
  available: number;
}

export interface ActivationSummary {
  activated: number;
  /** The area asked for; else the areas where the run activated someone or someone still waits. */
  areas: AreaActivation[];
}

export async function runActivation(area?: string): Promise<ActivationSummary> {
  let results: ActivationResult[];
  if (area) {
    if (!(await readArea(area))) throw areaNotFound(area);
    results = [await activateWaiting(area)];
  } else {
    results = await activateWaitingEverywhere();
  }
  const activatedIn = new Map(results.map((r) => [r.area, r.activated.map((u) => u.id)]));
  const areasAfter = area ? [await readArea(area)].filter((a) => a !== undefined) : await readAreas();
  const after = area ? areasAfter : areasAfter.filter((a) => a.pending > 0 || activatedIn.get(a.area)?.length);
  const summary: ActivationSummary = {
    activated: results.reduce((sum, r) => sum + r.activated.length, 0),
    areas: after.map((a) => ({ area: a.area, activated: activatedIn.get(a.area) ?? [], pending: a.pending, available: a.available })),
  };
  logger.info('activation run', {
    scope: area ?? 'all areas',
    activated: summary.activated,
    areas: summary.areas.map((a) => ({
      area: a.area,
      activated: a.activated.length,
      userIds: a.activated,
      pending: a.pending,
      available: a.available,
    })),
  });
  return summary;
}
