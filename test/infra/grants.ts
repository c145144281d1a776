/**
 * Reads a function's IAM grants back out of a synthesized template and checks
 * them against its FunctionSpec: only the tables and buckets the spec names,
 * read-only where it says read, plus the few trigger grants a test names.
 * The action lists below are written out as the oracle, not imported.
 */
import { expect } from 'vitest';
import { bucketDefinitions, type BucketId } from '#core/buckets.ts';
import { tableDefinitions, type TableId } from '#core/tables.ts';
import type { BucketAccess } from '#http/routes.ts';
import type { FunctionSpec } from '../../infra/stack/functionCatalog.ts';
import { logicalId, referencedId, resourcesOfType, type CfnResourceJson, type Synthesized } from './synth.ts';

/** What grantReadData / grantReadWriteData may hand out. */
export const READ_ACTIONS = new Set([
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:Query',
  'dynamodb:Scan',
]);
export const WRITE_ACTIONS = new Set(['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
/** Object actions only: no listing, no deletes, no bucket configuration. */
export const OBJECT_ACTIONS: Record<BucketAccess, Set<string>> = {
  read: new Set(['s3:GetObject', 's3:GetObjectVersion']),
  write: new Set(['s3:PutObject', 's3:AbortMultipartUpload']),
  readWrite: new Set(['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:AbortMultipartUpload']),
};
/** Grants a trigger brings along (beyond the spec's tables and buckets), with the actions each may carry. */
export const TRIGGER_GRANTS = {
  /** Lambda / event source mapping on-failure destination. */
  failedEvents: new Set(['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']),
  /** Reading the seats table's stream. */
  seatsStream: new Set(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']),
  /** dynamodb:ListStreams has no resource-level permission. */
  listStreams: new Set(['dynamodb:ListStreams']),
  /** ses:SendEmail on the sender's identity, as the configured sender only. */
  sesSender: new Set(['ses:SendEmail']),
} as const;
export type TriggerGrant = keyof typeof TRIGGER_GRANTS;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

type Target =
  | { kind: 'table'; tableId: TableId }
  | { kind: 'index'; tableId: TableId }
  | { kind: 'objects'; bucketId: BucketId }
  | { kind: 'logGroup'; id: string }
  | { kind: 'trigger'; grant: TriggerGrant };

export function grantChecker(s: Synthesized) {
  const tableIdByLogicalId = new Map((Object.keys(tableDefinitions) as TableId[]).map((id) => [logicalId(s.stack.tables[id]), id]));
  const bucketIdByLogicalId = new Map((Object.keys(bucketDefinitions) as BucketId[]).map((id) => [logicalId(s.stack.buckets[id]), id]));
  const resource = (id: string): CfnResourceJson => {
    const found = s.json.Resources[id];
    if (!found) throw new Error(`No resource ${id} in the template`);
    return found;
  };

  /** Every statement of every policy attached to the function's execution role. */
  function statementsOf(fn: CfnResourceJson): Statement[] {
    const roleId = referencedId(fn.Properties?.Role);
    const role = resource(roleId!);
    expect(role.Properties?.ManagedPolicyArns ?? [], 'no AWS managed policies on a function role').toEqual([]);
    expect(role.Properties?.Policies ?? []).toEqual([]);
    return resourcesOfType(s.json, 'AWS::IAM::Policy')
      .filter(([, policy]) => (policy.Properties?.Roles as unknown[]).some((r) => referencedId(r) === roleId))
      .flatMap(([, policy]) => policy.Properties?.PolicyDocument.Statement as Statement[]);
  }

  /** What a policy resource points at; anything the stack should never grant fails the test. */
  function classify(resourceRef: unknown): Target {
    if (resourceRef === '*') return { kind: 'trigger', grant: 'listStreams' };
    const getAtt = (resourceRef as { 'Fn::GetAtt'?: [string, string] })?.['Fn::GetAtt'];
    if (getAtt) {
      const [id, attribute] = getAtt;
      const tableId = tableIdByLogicalId.get(id);
      if (tableId && attribute === 'Arn') return { kind: 'table', tableId };
      if (tableId === 'seats' && attribute === 'StreamArn') return { kind: 'trigger', grant: 'seatsStream' };
      if (resource(id).Type === 'AWS::Logs::LogGroup') return { kind: 'logGroup', id };
      if (id === logicalId(s.stack.events.failedEvents) && attribute === 'Arn') return { kind: 'trigger', grant: 'failedEvents' };
    }
    const join = (resourceRef as { 'Fn::Join'?: [string, unknown[]] })?.['Fn::Join'];
    if (join && join[1].length === 2 && join[1][1] === '/index/*') {
      const tableId = tableIdByLogicalId.get(referencedId(join[1][0]) ?? '');
      if (tableId) return { kind: 'index', tableId };
    }
    if (join && join[1].length === 2 && join[1][1] === '/*') {
      const bucketId = bucketIdByLogicalId.get(referencedId(join[1][0]) ?? '');
      if (bucketId) return { kind: 'objects', bucketId };
    }
    // One named SES identity (created by the stack, or an existing one by name): never identity/*.
    if (join && /:ses:<token>:<token>:identity\/(<token>|[^*<>]+)$/.test(join[1].map((p) => (typeof p === 'string' ? p : '<token>')).join(''))) {
      return { kind: 'trigger', grant: 'sesSender' };
    }
    throw new Error(`Unexpected policy resource ${JSON.stringify(resourceRef)}`);
  }

  /**
   * The function's role holds exactly: its own log group; the spec's tables (read actions everywhere,
   * writes only where readWrite, indexes where the table has them); the spec's buckets' objects;
   * and the trigger grants named — nothing else, no wildcard action.
   */
  function expectGrantsOf(spec: Pick<FunctionSpec, 'name' | 'tables' | 'buckets'>, fn: CfnResourceJson, triggers: TriggerGrant[] = []): void {
    const actionsByTable = new Map<TableId, Set<string>>();
    const actionsByBucket = new Map<BucketId, Set<string>>();
    const triggersSeen = new Set<TriggerGrant>();
    const indexed = new Set<TableId>();
    for (const statement of statementsOf(fn)) {
      expect(statement.Effect).toBe('Allow');
      const actions = [statement.Action].flat();
      expect(actions.filter((a) => a.includes('*')), 'no wildcard actions').toEqual([]);
      for (const target of [statement.Resource].flat().map(classify)) {
        switch (target.kind) {
          case 'logGroup':
            expect(target.id, 'only its own log group').toBe(referencedId(fn.Properties?.LoggingConfig.LogGroup));
            expect(actions.toSorted()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
            break;
          case 'trigger':
            expect(triggers, `${spec.name} must not hold the ${target.grant} grant`).toContain(target.grant);
            expect(actions.filter((a) => !TRIGGER_GRANTS[target.grant].has(a)), target.grant).toEqual([]);
            if (target.grant === 'sesSender') expect(statement.Condition?.StringEquals?.['ses:FromAddress']).toBeTypeOf('string');
            triggersSeen.add(target.grant);
            break;
          case 'objects': {
            const access = spec.buckets?.[target.bucketId];
            expect(access, `${spec.name} must not touch the ${target.bucketId} bucket`).toBeDefined();
            expect(new Set(actions)).toEqual(OBJECT_ACTIONS[access!]);
            actionsByBucket.set(target.bucketId, new Set(actions));
            break;
          }
          case 'table':
          case 'index': {
            const access = spec.tables[target.tableId];
            expect(access, `${spec.name} must not touch the ${target.tableId} table`).toBeDefined();
            if (target.kind === 'index') indexed.add(target.tableId);
            const allowed = access === 'readWrite' ? new Set([...READ_ACTIONS, ...WRITE_ACTIONS]) : READ_ACTIONS;
            expect(actions.filter((a) => !allowed.has(a)), `${access} access to ${target.tableId}`).toEqual([]);
            const seen = actionsByTable.get(target.tableId) ?? new Set();
            actions.forEach((a) => seen.add(a));
            actionsByTable.set(target.tableId, seen);
            break;
          }
        }
      }
    }
    // Everything named is granted: reads everywhere, writes where it says readWrite, indexes where the table has them.
    expect([...triggersSeen].toSorted()).toEqual([...triggers].toSorted());
    expect([...actionsByBucket.keys()].toSorted()).toEqual(Object.keys(spec.buckets ?? {}).toSorted());
    expect([...actionsByTable.keys()].toSorted()).toEqual(Object.keys(spec.tables).toSorted());
    for (const [tableId, access] of Object.entries(spec.tables) as [TableId, string][]) {
      const granted = actionsByTable.get(tableId)!;
      expect([...READ_ACTIONS].every((a) => granted.has(a))).toBe(true);
      expect([...WRITE_ACTIONS].some((a) => granted.has(a))).toBe(access === 'readWrite');
      expect(indexed.has(tableId)).toBe(tableDefinitions[tableId].globalIndexes.length > 0);
    }
  }

  return { statementsOf, classify, expectGrantsOf, resource };
}
