/** No interleaving of concurrent requests, and no transaction conflict, can break the seat invariant. */
import { describe, expect, it } from 'vitest';
import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { dynamodb } from '#clients/dynamodb.ts';
import { blockUser, createUser, unblockUser } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { setAreaLimit } from '#core/license.ts';
import { MAX_ATTEMPTS } from '#core/transaction.ts';
import { freshArea, invariantView, uniqueEmail, expectInvariant } from '../support/seats.ts';
import { useLocalApi } from '../support/localApi.ts';
import { intercept } from '../support/sdkHooks.ts';

const api = useLocalApi();

describe('concurrent requests', () => {
  it('300 parallel creates against a limit of 100: exactly 100 created, the rest SEAT_LIMIT_REACHED', async () => {
    const area = await freshArea(100);
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) => api('POST', '/users', { body: { email: uniqueEmail(`c${i}`), area } })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(100);
    expect(responses.filter((r) => r.status === 409 && r.body.error.code === 'SEAT_LIMIT_REACHED')).toHaveLength(200);
    const view = await invariantView(area);
    expect(view.counters).toEqual(view.users);
    expect(view.counters).toMatchObject({ active: 100, available: 0 });
  });

  it('racing unblocks for one free seat: exactly one wins', async () => {
    const area = await freshArea(10);
    const users = await Promise.all(Array.from({ length: 10 }, () => createUser({ email: uniqueEmail(), area, source: 'api' })));
    await Promise.all(users.map((u) => blockUser(u.id)));
    await Promise.all(Array.from({ length: 9 }, () => createUser({ email: uniqueEmail(), area, source: 'api' })));
    const results = await Promise.allSettled(users.map((u) => unblockUser(u.id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const view = await invariantView(area);
    expect(view.counters).toEqual(view.users);
    expect(view.counters).toMatchObject({ active: 10, blocked: 9, available: 0 });
  });

  it('the same user blocked, unblocked and deleted concurrently ends consistent', async () => {
    const area = await freshArea(3);
    const user = await createUser({ email: uniqueEmail(), area, source: 'api' });
    await Promise.allSettled([
      blockUser(user.id),
      unblockUser(user.id),
      blockUser(user.id),
      unblockUser(user.id),
      api('DELETE', `/users/${user.id}`),
      blockUser(user.id),
    ]);
    await expectInvariant(area);
  });
});

/**
 * DynamoDB Local never raises TransactionConflict; real DynamoDB does when two
 * transactions touch one counter (a cancelled transaction), or when a single-item
 * write meets an item a transaction holds (TransactionConflictException, which
 * the SDK does not retry). Inject them through an SDK middleware.
 */
function injectTransactionConflicts(
  times: number,
  command: 'TransactWriteItemsCommand' | 'UpdateItemCommand' = 'TransactWriteItemsCommand',
  reason = 'TransactionConflict',
) {
  let remaining = times;
  let seen = 0;
  const conflict = () =>
    command === 'TransactWriteItemsCommand'
      ? new TransactionCanceledException({
          message: `Transaction cancelled, please refer cancellation reasons for specific reasons [None, ${reason}]`,
          $metadata: {},
          CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: reason }],
        })
      : new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: {} });
  const { remove } = intercept(dynamodb, async (sent, _input, send) => {
    if (sent === command) {
      seen++;
      if (remaining > 0) {
        remaining--;
        throw conflict();
      }
    }
    return send();
  });
  return { calls: () => seen, remove };
}

describe('transaction conflicts', () => {
  it('are retried until the write lands, once', async () => {
    const area = await freshArea(2);
    const conflicts = injectTransactionConflicts(3);
    try {
      const user = await createUser({ email: uniqueEmail(), area, source: 'api' });
      expect(user.state).toBe('active');
      expect(conflicts.calls()).toBe(4);
    } finally {
      conflicts.remove();
    }
    expect(await readArea(area)).toMatchObject({ active: 1, available: 1 });
  });

  it('a transaction cancelled for throttling (how DynamoDB reports it; the SDK does not retry it) is retried too', async () => {
    const area = await freshArea(2);
    const throttled = injectTransactionConflicts(2, 'TransactWriteItemsCommand', 'ThrottlingError');
    try {
      expect(await createUser({ email: uniqueEmail(), area, source: 'api' })).toMatchObject({ state: 'active' });
      expect(throttled.calls()).toBe(3);
    } finally {
      throttled.remove();
    }
    expect(await readArea(area)).toMatchObject({ active: 1, available: 1 });
    await expectInvariant(area);
  });

  it('on a single-item counter write (a limit change) are retried too, not a 500', async () => {
    const area = await freshArea(2);
    const conflicts = injectTransactionConflicts(2, 'UpdateItemCommand');
    try {
      expect((await setAreaLimit(area, 5)).seats).toMatchObject({ limit: 5, available: 5 });
      expect(conflicts.calls()).toBe(3);
    } finally {
      conflicts.remove();
    }
    expect(await readArea(area)).toMatchObject({ limit: 5, available: 5 });
  });

  it('give up with TOO_MUCH_CONTENTION (503) after the last attempt, having written nothing', async () => {
    const area = await freshArea(2);
    const conflicts = injectTransactionConflicts(MAX_ATTEMPTS);
    try {
      const response = await api('POST', '/users', { body: { email: uniqueEmail(), area } });
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('TOO_MUCH_CONTENTION');
      expect(conflicts.calls()).toBe(MAX_ATTEMPTS);
    } finally {
      conflicts.remove();
    }
    expect(await readArea(area)).toMatchObject({ active: 0, available: 2 });
    await expectInvariant(area);
  }, 30_000);
});
