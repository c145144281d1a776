/**
 * Bulk paths (CSV import, directory sync): many users per transaction. A chunk
 * reserves its seats with one conditional counter update and writes its users
 * in the same transaction, so requests per row stay far below one.
 */
import { counterStep, readArea, recordRefusals, toAreaSeats } from './seatCounter.ts';
import { tableName } from './tables.ts';
import { sendTransaction, withRetries, type TransactItem } from './transaction.ts';
import { ZERO_COUNTS, addCounts, emailGuardKey, emailKey, footprint, toItem, type User } from './user.ts';
import { newUser, type NewUser, type WhenFull } from './people.ts';

/** Two items per user (user + email guard) and one counter: 49 users fill a 100-item transaction. */
export const USERS_PER_TRANSACTION = 49;

/** What became of one row of a bulk create. */
export type BulkOutcome =
  | { outcome: 'created'; user: User }
  | { outcome: 'waiting'; user: User }
  | { outcome: 'exists'; userId: string }
  | { outcome: 'refused'; code: 'SEAT_LIMIT_REACHED' | 'AREA_NOT_FOUND' };

/**
 * Creates users in chunks, one transaction each; returns one outcome per row, in input order.
 * `whenFull` (people.ts) may differ by area: a function is asked once per area, when the call starts.
 * `refuse`: rows beyond the free seats are not created (admin upload); `wait`: they are created
 * waiting (directory sync); `queue`: every row is created waiting, behind those already waiting.
 * With `wait`, once a row waits, the area's later rows queue behind it: a seat freed
 * between two chunks goes to the waiting list, oldest first, not to a later row.
 */
export async function createUsersInBulk(rows: NewUser[], whenFull: WhenFull | ((area: string) => WhenFull)): Promise<BulkOutcome[]> {
  const keys = new Set<string>();
  for (const row of rows) {
    if (keys.has(emailKey(row.email))) throw new Error('createUsersInBulk: emails must be unique within a call');
    keys.add(emailKey(row.email));
  }
  const outcomes = new Array<BulkOutcome>(rows.length);
  const byArea = new Map<string, number[]>();
  rows.forEach((row, i) => byArea.set(row.area, [...(byArea.get(row.area) ?? []), i]));
  const modes = new Map([...byArea.keys()].map((area) => [area, typeof whenFull === 'function' ? whenFull(area) : whenFull]));
  for (const [area, indexes] of byArea) {
    for (let start = 0; start < indexes.length; start += USERS_PER_TRANSACTION) {
      const chunk = indexes.slice(start, start + USERS_PER_TRANSACTION);
      const results = await createChunk(
        area,
        chunk.map((i) => rows[i]!),
        modes.get(area)!,
      );
      chunk.forEach((i, n) => (outcomes[i] = results[n]!));
      if (modes.get(area) === 'wait' && results.some((r) => r.outcome === 'waiting')) modes.set(area, 'queue');
    }
  }
  return outcomes;
}

/**
 * One area, at most USERS_PER_TRANSACTION rows. Each round plans the open rows
 * against the seats believed free and sends one transaction. When it is
 * cancelled, every existing email (reported together) leaves the chunk, and a
 * failed seat condition returns the counter as it was, telling how many seats
 * are really free; then the rest is planned again.
 */
async function createChunk(area: string, rows: NewUser[], mode: WhenFull): Promise<BulkOutcome[]> {
  const at = new Date().toISOString();
  const users = rows.map((row) => newUser({ ...row, area }, at));
  const outcomes: (BulkOutcome | undefined)[] = users.map(() => undefined);
  let available = mode === 'queue' ? 0 : Infinity;

  for (;;) {
    const planned: { index: number; user: User }[] = [];
    let seats = available;
    users.forEach((user, index) => {
      if (outcomes[index]) return;
      if (user.state === 'blocked') {
        planned.push({ index, user });
      } else if (user.exempt || seats > 0) {
        if (!user.exempt) seats--;
        planned.push({ index, user });
      } else if (mode !== 'refuse') {
        planned.push({ index, user: { ...user, state: 'blocked', blockedReason: 'license', pendingSince: at } });
      }
    });
    const unplanned = () => users.forEach((_, i) => (outcomes[i] ??= { outcome: 'refused', code: 'SEAT_LIMIT_REACHED' }));
    if (planned.length === 0) {
      unplanned();
      break;
    }

    const items: TransactItem[] = planned.flatMap(({ user }) => [
      { Put: { TableName: tableName('users'), Item: toItem(user, 1), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: tableName('users'),
          Item: { pk: emailGuardKey(user.email), userId: user.id },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ]);
    const counts = planned.reduce((sum, { user }) => addCounts(sum, footprint(user)), { ...ZERO_COUNTS });
    items.push(counterStep(area, counts).write);

    const reasons = await withRetries(() => sendTransaction(items));
    if (!reasons) {
      for (const { index, user } of planned) outcomes[index] = { outcome: user.state === 'active' ? 'created' : 'waiting', user };
      unplanned();
      break;
    }
    planned.forEach(({ index }, n) => {
      const guard = reasons[n * 2 + 1];
      if (guard?.code === 'ConditionalCheckFailed')
        outcomes[index] = { outcome: 'exists', userId: (guard.item?.userId as string | undefined) ?? '' };
    });
    const counter = reasons[items.length - 1];
    if (counter?.code === 'ConditionalCheckFailed') {
      if (!counter.item) {
        users.forEach((_, i) => (outcomes[i] ??= { outcome: 'refused', code: 'AREA_NOT_FOUND' }));
        break;
      }
      available = toAreaSeats(counter.item).available;
    }
    if (reasons.some((reason, n) => reason.code === 'ConditionalCheckFailed' && n % 2 === 0 && n < items.length - 1)) {
      throw new Error('user id collision in bulk create');
    }
  }

  // Refused rows, and rows that wait because no seat was free for them (like a single create
  // that waits): one counter update per chunk. A row that came in blocked needed no seat.
  // In 'queue' mode a row waits behind those already waiting even when seats are free: no refusal then.
  let refused = outcomes.filter((o) => o?.outcome === 'refused' && o.code === 'SEAT_LIMIT_REACHED').length;
  const waited = outcomes.filter((o, i) => o?.outcome === 'waiting' && users[i]!.state === 'active').length;
  if (waited && (mode !== 'queue' || ((await readArea(area))?.available ?? 0) <= 0)) refused += waited;
  if (refused) await recordRefusals(area, refused);
  return outcomes as BulkOutcome[];
}
