/**
 * Unfiltered SCIM lists page by page, as Okta's "Import users" reads them:
 * each page after the first reads on from where the previous one ended
 * (findUsers.ts), so the walk's pages must still be exactly the list.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient } from '#clients/dynamodb.ts';
import { tableName } from '#core/tables.ts';
import { useLocalApi } from '../support/localApi.ts';
import { afterFirst } from '../support/sdkHooks.ts';
import { uniqueEmail } from '../support/seats.ts';
import { connectProvider, useOwnTables, userResource, type Provider } from './scimKit.ts';

// Own tables: an unfiltered list shows every account no directory manages, so no other file's may be here.
useOwnTables('scim-paging');
const api = useLocalApi();

const ids = (body: { Resources: { id: string }[] }) => body.Resources.map((resource) => resource.id);

/** The whole list in one page, then the same list read `size` at a time from startIndex 1 on. */
async function pages(provider: Provider, size: number) {
  const seen: string[] = [];
  const totals = new Set<number>();
  for (;;) {
    const { status, body } = await provider('GET', `/Users?startIndex=${seen.length + 1}&count=${size}`);
    expect(status).toBe(200);
    totals.add(body.totalResults);
    if (body.Resources.length === 0 || seen.length + body.Resources.length >= body.totalResults)
      return { seen: [...seen, ...ids(body)], totals };
    seen.push(...ids(body));
  }
}

async function createUsers(provider: Provider, n: number): Promise<string[]> {
  const created: string[] = [];
  for (let i = 0; i < n; i++) created.push((await provider('POST', '/Users', userResource(undefined))).body.id);
  return created;
}

describe('unfiltered pages read in order', () => {
  it('hold every user the directory sees once, in the order of one big page, with one totalResults', async () => {
    const okta = await connectProvider(api, 'okta');
    await createUsers(okta, 7);
    for (let i = 0; i < 2; i++) expect((await api('POST', '/users', { body: { email: uniqueEmail('unmanaged') } })).status).toBe(201);
    const whole = ids((await okta('GET', '/Users')).body);
    expect(whole).toHaveLength(9);

    for (const size of [1, 2, 4, 9]) {
      const { seen, totals } = await pages(okta, size);
      expect(seen).toEqual(whole);
      expect([...totals]).toEqual([9]);
    }
  });

  it('the next page reads on from where the last ended: a user deleted between pages shifts no one out of it', async () => {
    const okta = await connectProvider(api, 'okta');
    await createUsers(okta, 6);
    const whole = ids((await okta('GET', '/Users')).body);

    expect(ids((await okta('GET', '/Users?startIndex=1&count=2')).body)).toEqual(whole.slice(0, 2));
    // The page's last user, where the next page reads on from, is deleted.
    expect((await okta('DELETE', `/Users/${whole[1]}`)).status).toBe(204);
    // By index alone, page 2 would now start at whole[3] and whole[2] would never be read.
    for (const startIndex of [3, 5]) {
      const readOn = afterFirst(
        (command, input) => command === 'QueryCommand' && input.includes('"ExclusiveStartKey"'),
        async () => {},
      );
      const next = (await okta('GET', `/Users?startIndex=${startIndex}&count=2`)).body;
      readOn.remove();
      expect(readOn.ran()).toBe(true);
      expect(ids(next)).toEqual(whole.slice(startIndex - 1, startIndex + 1));
      expect(next.totalResults).toBe(whole.length);
    }
  });

  it('a page asked for again reads on again (any instance may answer it); after a minute the list is walked afresh', async () => {
    const okta = await connectProvider(api, 'okta');
    await createUsers(okta, 4);
    const whole = ids((await okta('GET', '/Users')).body);
    expect(ids((await okta('GET', '/Users?startIndex=1&count=2')).body)).toEqual(whole.slice(0, 2));

    /** Page 2 and whether it read on from where page 1 ended (a query that starts after a key) rather than walk from the start. */
    const secondPage = async () => {
      const readOn = afterFirst(
        (command, input) => command === 'QueryCommand' && input.includes('"ExclusiveStartKey"'),
        async () => {},
      );
      const page = ids((await okta('GET', '/Users?startIndex=3&count=2')).body);
      readOn.remove();
      return { page, readOn: readOn.ran() };
    };
    // A provider retrying a page that timed out, or the next page landing on another Lambda instance.
    expect(await secondPage()).toEqual({ page: whole.slice(2, 4), readOn: true });
    expect(await secondPage()).toEqual({ page: whole.slice(2, 4), readOn: true });

    const aMinuteAgo = Math.floor(Date.now() / 1000) - 1;
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName('jobs'),
        Key: { pk: `scimPage#${okta.directory}`, sk: '3' },
        UpdateExpression: 'SET expiresAt = :past',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':past': aMinuteAgo },
      }),
    );
    expect(await secondPage()).toEqual({ page: whole.slice(2, 4), readOn: false });
  });

  it('two directories paging at once each get their own list; a page out of order is still the list’s slice', async () => {
    const okta = await connectProvider(api, 'okta');
    const entra = await connectProvider(api, 'entra');
    await createUsers(okta, 3);
    await createUsers(entra, 3);
    const wholeOkta = ids((await okta('GET', '/Users')).body);
    const wholeEntra = ids((await entra('GET', '/Users')).body);
    expect(wholeOkta).not.toEqual(wholeEntra);

    const page = async (provider: Provider, startIndex: number) =>
      ids((await provider('GET', `/Users?startIndex=${startIndex}&count=2`)).body);
    expect(await page(okta, 1)).toEqual(wholeOkta.slice(0, 2));
    expect(await page(entra, 1)).toEqual(wholeEntra.slice(0, 2));
    expect(await page(okta, 3)).toEqual(wholeOkta.slice(2, 4));
    expect(await page(entra, 3)).toEqual(wholeEntra.slice(2, 4));
    expect(await page(okta, 2)).toEqual(wholeOkta.slice(1, 3));
    expect(await page(okta, 4)).toEqual(wholeOkta.slice(3, 5));
  });
});
