/** Creates the tables from the shared definitions and seeds default limits. */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { tableDefinitions, tableName, type TableDefinition, type TableId } from '#core/tables.ts';
import { readArea } from '#core/seatCounter.ts';
import { setAreaLimit } from '#core/license.ts';

function createTableInput(name: string, definition: TableDefinition) {
  const keys = [definition.partitionKey, definition.sortKey, ...definition.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const attributes = new Map(keys.filter((k) => k !== undefined).map((k) => [k.name, k.type]));
  const keySchema = (partition: { name: string }, sort?: { name: string }) => [
    { AttributeName: partition.name, KeyType: 'HASH' as const },
    ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keySchema(definition.partitionKey, definition.sortKey),
    GlobalSecondaryIndexes: definition.globalIndexes.length
      ? definition.globalIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: keySchema(index.partitionKey, index.sortKey),
          Projection: { ProjectionType: 'ALL' as const },
        }))
      : undefined,
    StreamSpecification: definition.stream ? { StreamEnabled: true, StreamViewType: definition.stream } : undefined,
  };
}

/**
 * Idempotent: tables that exist keep their data, and get the indexes the
 * definitions added since they were made (DynamoDB fills a new index from the
 * items already there). Its own client for `endpoint`: one process may
 * provision several engines in turn (the benchmarks).
 */
export async function ensureTables(endpoint: string): Promise<void> {
  const dynamodb = new DynamoDBClient({ endpoint });
  try {
    await createMissingTables(dynamodb);
  } finally {
    dynamodb.destroy();
  }
}

async function createMissingTables(dynamodb: DynamoDBClient): Promise<void> {
  for (const id of Object.keys(tableDefinitions) as TableId[]) {
    const definition: TableDefinition = tableDefinitions[id];
    const name = tableName(id);
    try {
      await dynamodb.send(new CreateTableCommand(createTableInput(name, definition)));
      if (definition.timeToLiveAttribute) {
        await dynamodb.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { Enabled: true, AttributeName: definition.timeToLiveAttribute },
          }),
        );
      }
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      await addMissingIndexes(dynamodb, name, definition);
    }
  }
}

async function addMissingIndexes(dynamodb: DynamoDBClient, name: string, definition: TableDefinition): Promise<void> {
  const wanted = createTableInput(name, definition);
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
  const existing = new Set(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName));
  // One index per UpdateTable, as DynamoDB requires; each is filled before the next is asked for.
  for (const index of wanted.GlobalSecondaryIndexes ?? []) {
    if (existing.has(index.IndexName)) continue;
    await dynamodb.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: wanted.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    for (let waited = 0; ; waited += 100) {
      const { Table: table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
      if (table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.IndexName)?.IndexStatus === 'ACTIVE') break;
      if (waited > 60_000) throw new Error(`DynamoDB Local did not finish index ${index.IndexName} of ${name} within a minute.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** `"primary=100,extranet=25"` → seeds each area that does not exist yet. */
export function parseLimits(text: string): Map<string, number> {
  const limits = new Map<string, number>();
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [area, value] = pair.split('=').map((p) => p.trim());
    const limit = Number(value);
    if (!area || !Number.isInteger(limit) || limit < 0) throw new Error(`SEED_LIMITS: cannot read '${pair}' (expected area=limit)`);
    limits.set(area, limit);
  }
  return limits;
}

export async function seedLimits(limits: Map<string, number>): Promise<void> {
  for (const [area, limit] of limits) {
    if (!(await readArea(area))) await setAreaLimit(area, limit);
  }
}
