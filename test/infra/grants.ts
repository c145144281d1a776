/**
 * Reads a function's IAM grants back out of a synthesized template and checks
 * them against its FunctionSpec exactly: on each table the actions its list
 * names and no other, dynamodb:Query on each index it names (never index/*),
 * on each bucket the object actions of each key prefix it names (never the
 * whole bucket), lambda:InvokeFunction on each function it invokes (never a
 * version or alias wildcard), plus the few trigger grants a test names. Whether the lists
 * themselves match the code is tableAccess.test.ts's job.
 */
import { expect } from 'vitest';
import { bucketDefinitions, type BucketId } from '#core/buckets.ts';
import { splitTableActions, type TableAction } from '#core/tableAccess.ts';
import { tableDefinitions, type TableId } from '#core/tables.ts';
import type { FunctionSpec } from '../../functions/manifest.ts';
import { logicalId, referencedId, resourcesOfType, type CfnResourceJson, type Synthesized } from './synth.ts';

/** Every action a function may hold on a table, written out as the oracle: no BatchWriteItem, DescribeTable, stream reads, PartiQL. */
export const TABLE_ACTIONS = new Set([
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
]);
/** Object actions only: no listing, no deletes, no bucket configuration. */
export const OBJECT_ACTIONS = new Set(['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:AbortMultipartUpload']);
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
  | { kind: 'index'; tableId: TableId; indexName: string }
  | { kind: 'objects'; bucketId: BucketId; prefix: string }
  | { kind: 'logGroup'; id: string }
  | { kind: 'function'; id: string }
  | { kind: 'trigger'; grant: TriggerGrant };

/** A spec's table list as the template must show it: actions on the table, and the indexes queried. */
export function expectedTableGrants(actions: readonly TableAction[]): { table: string[]; indexes: string[] } {
  const split = splitTableActions(actions);
  return { table: split.actions.map((a) => `dynamodb:${a}`).toSorted(), indexes: split.indexes.toSorted() };
}

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
      if (resource(id).Type === 'AWS::Lambda::Function' && attribute === 'Arn') return { kind: 'function', id };
      if (id === logicalId(s.stack.events.failedEvents) && attribute === 'Arn') return { kind: 'trigger', grant: 'failedEvents' };
    }
    const join = (resourceRef as { 'Fn::Join'?: [string, unknown[]] })?.['Fn::Join'];
    const suffix = join && join[1].length === 2 && typeof join[1][1] === 'string' ? join[1][1] : undefined;
    const index = suffix && /^\/index\/([A-Za-z0-9_.-]+)$/.exec(suffix)?.[1];
    if (index) {
      const tableId = tableIdByLogicalId.get(referencedId(join![1][0]) ?? '');
      if (tableId) return { kind: 'index', tableId, indexName: index };
    }
    const prefix = suffix && /^\/([a-z0-9-]+\/)\*$/.exec(suffix)?.[1];
    if (prefix) {
      const bucketId = bucketIdByLogicalId.get(referencedId(join![1][0]) ?? '');
      if (bucketId) return { kind: 'objects', bucketId, prefix };
    }
    // One named SES identity (created by the stack, or an existing one by name): never identity/*.
    if (
      join &&
      /:ses:<token>:<token>:identity\/(<token>|[^*<>]+)$/.test(join[1].map((p) => (typeof p === 'string' ? p : '<token>')).join(''))
    ) {
      return { kind: 'trigger', grant: 'sesSender' };
    }
    throw new Error(`Unexpected policy resource ${JSON.stringify(resourceRef)}`);
  }

  /**
   * The function's role holds exactly: its own log group; on each table of the spec the actions its list
   * names and dynamodb:Query on each index it names; on each bucket the object actions of each key prefix
   * it names; lambda:InvokeFunction on each function it invokes; and the trigger grants named — nothing
   * else, no wildcard action, no index/* or bucket/*.
   */
  function expectGrantsOf(
    spec: Pick<FunctionSpec, 'name' | 'tables' | 'buckets' | 'invokes'>,
    fn: CfnResourceJson,
    triggers: TriggerGrant[] = [],
  ): void {
    const tableActions = new Map<TableId, Set<string>>();
    const indexes = new Map<TableId, Set<string>>();
    const objects = new Map<string, Set<string>>();
    const triggersSeen = new Set<TriggerGrant>();
    const invoked = new Set<string>();
    const add = <K>(map: Map<K, Set<string>>, key: K, values: string[]) => {
      const set = map.get(key) ?? new Set<string>();
      values.forEach((v) => set.add(v));
      map.set(key, set);
    };
    for (const statement of statementsOf(fn)) {
      expect(statement.Effect).toBe('Allow');
      const actions = [statement.Action].flat();
      expect(
        actions.filter((a) => a.includes('*')),
        'no wildcard actions',
      ).toEqual([]);
      for (const target of [statement.Resource].flat().map(classify)) {
        switch (target.kind) {
          case 'logGroup':
            expect(target.id, 'only its own log group').toBe(referencedId(fn.Properties?.LoggingConfig.LogGroup));
            expect(actions.toSorted()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
            break;
          case 'trigger':
            expect(triggers, `${spec.name} must not hold the ${target.grant} grant`).toContain(target.grant);
            expect(
              actions.filter((a) => !TRIGGER_GRANTS[target.grant].has(a)),
              target.grant,
            ).toEqual([]);
            if (target.grant === 'sesSender') expect(statement.Condition?.StringEquals?.['ses:FromAddress']).toBeTypeOf('string');
            triggersSeen.add(target.grant);
            break;
          case 'function':
            expect(actions, `${spec.name}: only InvokeFunction on a function`).toEqual(['lambda:InvokeFunction']);
            invoked.add(target.id);
            break;
          case 'objects':
            expect(
              actions.filter((a) => !OBJECT_ACTIONS.has(a)),
              `${spec.name}: object actions only`,
            ).toEqual([]);
            add(objects, `${target.bucketId} ${target.prefix}`, actions);
            break;
          case 'table':
            expect(
              actions.filter((a) => !TABLE_ACTIONS.has(a)),
              `${spec.name} on ${target.tableId}`,
            ).toEqual([]);
            add(tableActions, target.tableId, actions);
            break;
          case 'index':
            expect(actions, `${spec.name}: only Query on an index`).toEqual(['dynamodb:Query']);
            add(indexes, target.tableId, [target.indexName]);
            break;
        }
      }
    }
    const sorted = <K>(map: Map<K, Set<string>>) => new Map([...map].map(([k, v]) => [k, [...v].toSorted()]));
    // Exactly what the spec lists, table by table, index by index, prefix by prefix.
    const expectedTables = new Map<TableId, string[]>();
    const expectedIndexes = new Map<TableId, string[]>();
    for (const [tableId, list] of Object.entries(spec.tables) as [TableId, readonly TableAction[]][]) {
      const { table, indexes: names } = expectedTableGrants(list);
      if (table.length) expectedTables.set(tableId, table);
      if (names.length) expectedIndexes.set(tableId, names);
    }
    expect(sorted(tableActions), `${spec.name}: actions per table`).toEqual(expectedTables);
    expect(sorted(indexes), `${spec.name}: indexes queried`).toEqual(expectedIndexes);
    const expectedObjects = new Map(
      Object.entries(spec.buckets ?? {}).flatMap(([bucketId, prefixes]) =>
        Object.entries(prefixes as Record<string, readonly string[]>).map(
          ([prefix, actions]) => [`${bucketId} ${prefix}`, actions.map((a) => `s3:${a}`).toSorted()] as const,
        ),
      ),
    );
    expect(sorted(objects), `${spec.name}: object actions per bucket prefix`).toEqual(expectedObjects);
    expect([...triggersSeen].toSorted()).toEqual([...triggers].toSorted());
    const expectedInvoked = (spec.invokes ?? []).map(({ name }) => logicalId(s.stack.functions[name]!));
    expect([...invoked].toSorted(), `${spec.name}: functions it may invoke`).toEqual(expectedInvoked.toSorted());
  }

  return { statementsOf, classify, expectGrantsOf, resource };
}
