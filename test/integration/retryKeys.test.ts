/**
 * A create or a transfer made with an Idempotency-Key records its key in its own transaction, so a
 * retry after an answer that never arrived is answered from that record, not done twice; and a record
 * past its `expiresAt` counts as absent, as the README's "within 24 hours" says (DynamoDB's TTL deletes
 * expired items lazily, sometimes days later, so the item may still be there).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamodb, documentClient } from '#clients/dynamodb.ts';
import { transferSeats } from '#core/license.ts';
import { createUser, findUserByEmail } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { tableName } from '#core/tables.ts';
import { loadHandler } from '../../infra/local/functions.ts';
import { lambdaContext } from '../../infra/local/server.ts';
import { intercept } from '../support/sdkHooks.ts';
import { expectInvariant, freshArea, uniqueEmail } from '../support/seats.ts';

type HttpResult = { statusCode: number; body?: string; headers?: Record<string, string> };

/** Makes a record look as DynamoDB keeps it after its TTL passed and before its sweep deleted it. */
async function expire(key: { pk: string; sk: string }): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName('jobs'),
      Key: key,
      UpdateExpression: 'SET expiresAt = :past',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 60 },
    }),
  );
}

describe('POST /users with an Idempotency-Key', () => {
  /** events/createUser.json with this body and key: the caller is its token's `sub`. */
  function createEvent(body: unknown, key: string) {
    const event = JSON.parse(readFileSync('events/createUser.json', 'utf8'));
    event.body = JSON.stringify(body);
    event.headers = { ...event.headers, 'content-length': String(Buffer.byteLength(event.body)), 'idempotency-key': key };
    event.requestContext.requestId = randomUUID();
    return event;
  }

  it('a retry after a lost answer (the create committed, the Lambda died before its response was saved) answers 201 with the user, created once', async () => {
    const handler = await loadHandler('createUser');
    const area = await freshArea(5);
    const email = uniqueEmail('lost');
    const key = `key-${randomUUID()}`;
    const body = { email, name: 'Lost Answer', area };
    const event = createEvent(body, key);
    // The first invocation has 1.5 s left, so Powertools holds its in-progress record that long (as a
    // 10 s Lambda would for 10 s); saving the response fails, as when the Lambda dies just after the commit.
    const dies = intercept(dynamodb, async (command, input, send) => {
      if (command === 'UpdateItemCommand' && JSON.stringify(input).includes('"idempotency"'))
        throw Object.assign(new Error('Lambda timed out'), { name: 'TimeoutError' });
      return send();
    });
    const first = (await handler(event, lambdaContext('createUser', 1500)).finally(dies.remove)) as HttpResult;
    expect(first.statusCode).toBe(500);
    const created = await findUserByEmail(email);
    expect(created).toMatchObject({ email, area, state: 'active' });

    // While the first invocation might still run, a retry is told so.
    const early = (await handler(createEvent(body, key), lambdaContext('createUser'))) as HttpResult;
    expect(early.statusCode).toBe(409);
    expect(JSON.parse(early.body!).error.code).toBe('REQUEST_IN_PROGRESS');

    await new Promise((resolve) => setTimeout(resolve, 1700));
    const retry = (await handler(createEvent(body, key), lambdaContext('createUser'))) as HttpResult;
    expect(retry.statusCode, retry.body).toBe(201);
    expect(JSON.parse(retry.body!).user).toEqual(created);
    expect(retry.headers?.location).toBe(`/users/${created!.id}`);
    // Now Powertools has the response: the next retry replays it.
    const again = (await handler(createEvent(body, key), lambdaContext('createUser'))) as HttpResult;
    expect(again.statusCode).toBe(201);
    expect(JSON.parse(again.body!)).toEqual(JSON.parse(retry.body!));
    expect(await readArea(area)).toMatchObject({ active: 1 });
    await expectInvariant(area);
  });

  it('core: the record answers a repeated create with the first user; another body under the key is refused', async () => {
    const area = await freshArea(5);
    const key = `caller#${randomUUID()}`;
    const input = { email: uniqueEmail('again'), name: 'Again', area, source: 'api' as const };
    const first = await createUser(input, 'refuse', key);
    expect(await createUser(input, 'refuse', key)).toEqual(first);
    await expect(createUser({ ...input, email: uniqueEmail('other') }, 'refuse', key)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(await readArea(area)).toMatchObject({ active: 1 });
    await expectInvariant(area);
  });

  it('core: a record past its expiresAt counts as absent: the key may name a new create', async () => {
    const area = await freshArea(5);
    const key = `caller#${randomUUID()}`;
    await createUser({ email: uniqueEmail('old'), area, source: 'api' }, 'refuse', key);
    await expire({ pk: 'create', sk: key });
    const next = await createUser({ email: uniqueEmail('new'), area, source: 'api' }, 'refuse', key);
    expect(next).toMatchObject({ area, state: 'active' });
    expect(await readArea(area)).toMatchObject({ active: 2 });
    await expectInvariant(area);
  });
});

describe('a transfer’s retry record', () => {
  it('past its expiresAt (not yet swept by TTL) it counts as absent: the same key moves seats again', async () => {
    const from = await freshArea(10);
    const to = await freshArea(0);
    const key = `caller#${randomUUID()}`;
    await transferSeats(from, to, 4, key);
    // Within its day the record answers a retry: nothing moves.
    await transferSeats(from, to, 4, key);
    expect(await readArea(to)).toMatchObject({ limit: 4 });

    await expire({ pk: 'transfer', sk: key });
    await transferSeats(from, to, 4, key);
    expect(await readArea(from)).toMatchObject({ limit: 2 });
    expect(await readArea(to)).toMatchObject({ limit: 8 });
  });

  it('past its expiresAt, another transfer under the key is made, not refused as a reused key', async () => {
    const from = await freshArea(10);
    const to = await freshArea(0);
    const key = `caller#${randomUUID()}`;
    await transferSeats(from, to, 4, key);
    await expect(transferSeats(from, to, 1, key)).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    await expire({ pk: 'transfer', sk: key });
    await transferSeats(from, to, 1, key);
    expect(await readArea(to)).toMatchObject({ limit: 5 });
  });
});
