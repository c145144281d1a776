/**
 * The DynamoDB tables, mapped one to one from the shared definition in
 * functions/core/tables.ts (keys, indexes, stream and TTL come from there,
 * never restated here). These tables hold the service's data: on-demand,
 * point-in-time recovery, deletion protection, and kept when the stack goes.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
  type Attribute,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableDefinitions, type KeyAttribute, type TableDefinition, type TableId } from '#core/tables.ts';

/** The shared key types are DynamoDB's own ('S', 'N'), which are AttributeType's values. */
const attribute = (key: KeyAttribute): Attribute => ({ name: key.name, type: key.type satisfies `${AttributeType}` as AttributeType });

export type SeatkeeperTableMap = Record<TableId, Table>;

export class SeatkeeperTables extends Construct {
  readonly tables: SeatkeeperTableMap;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const entries = (Object.keys(tableDefinitions) as TableId[]).map((tableId) => {
      const definition: TableDefinition = tableDefinitions[tableId];
      const table = new Table(this, tableId, {
        partitionKey: attribute(definition.partitionKey),
        ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        // AWS-owned key: encrypted at rest at no cost (a customer-managed key costs $1/month each).
        encryption: TableEncryption.DEFAULT,
        ...(definition.stream ? { stream: StreamViewType[definition.stream] } : {}),
        ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
      });
      for (const index of definition.globalIndexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
          // Same projection the local runtime creates (infra/local/provision.ts).
          projectionType: ProjectionType.ALL,
        });
      }
      return [tableId, table] as const;
    });
    this.tables = Object.fromEntries(entries) as SeatkeeperTableMap;
  }
}
