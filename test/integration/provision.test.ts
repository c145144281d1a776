/**
 * `npm start` on data an earlier version made: ensureTables keeps the tables
 * and their items, and adds the indexes the definitions gained since.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient, dynamodb } from '#clients/dynamodb.ts';
import { areaItems } from '#core/areaIndex.ts';
import { findUsersByExternalId } from '#core/people.ts';
import { tableDefinitions, tableName } from '#core/tables.ts';
import { toItem, type User } from '#core/user.ts';
import { ensureTables } from '../../infra/local/provision.ts';

// Tables of this file's own, so the users table can start as an earlier version made it.
const prefix = `provision-${randomUUID().slice(0, 8)}`;
for (const definition of Object.values(tableDefinitions)) process.env[definition.envName] = `${prefix}-${definition.defaultName}`;

describe('ensureTables', () => {
  it('adds the indexes an existing table lacks, filled from the items it holds; the items stay', async () => {
    const users = tableName('users');
    await dynamodb.send(
      new CreateTableCommand({
        TableName: users,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const at = new Date().toISOString();
    const user: User = {
      id: randomUUID(),
      email: 'kept@example.com',
      name: 'Kept',
      area: 'primary',
      state: 'active',
      exempt: false,
      roles: [],
      source: 'scim',
      directory: 'entra',
      externalId: `object-${randomUUID()}`,
      createdAt: at,
      updatedAt: at,
    };
    await documentClient.send(new PutCommand({ TableName: users, Item: toItem(user, 1) }));

    await ensureTables(process.env.DYNAMODB_ENDPOINT!);
    await ensureTables(process.env.DYNAMODB_ENDPOINT!);

    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: users }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).toSorted()).toEqual(
      tableDefinitions.users.globalIndexes.map((index) => index.indexName).toSorted(),
    );
    expect(await findUsersByExternalId(user.externalId!)).toEqual([user]);
    const inArea: unknown[] = [];
    for await (const item of areaItems(['primary'])) inArea.push(item.pk);
    expect(inArea).toEqual([user.id]);
  });
});
