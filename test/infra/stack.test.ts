/**
 * Template tests of the default deployment (Cognito user pool), synthesized
 * once with cdk-nag, as `cdk synth` builds it. Bundling is skipped here (the
 * template is the same but for asset hashes); bundling.test.ts checks the bundles.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketDefinitions, type BucketDefinition, type BucketId } from '#core/buckets.ts';
import { tableDefinitions, type TableDefinition, type TableId } from '#core/tables.ts';
import {
  httpRoutes,
  routeAuth,
  routeKey,
  type HttpRoute,
  allFunctionSpecs,
  importSpec,
  notifySpec,
  scimAuthorizerSpec,
} from '../../functions/manifest.ts';
import { SCIM_AUTHORIZER_CACHE_TTL } from '../../infra/stack/seatkeeperHttpApi.ts';
import { grantChecker } from './grants.ts';
import {
  expectAcknowledgementsUsed,
  expectNagClean,
  logicalId,
  referencedId,
  resourcesOfType,
  synthesize,
  type CfnResourceJson,
  type Synthesized,
} from './synth.ts';

const tableIds = Object.keys(tableDefinitions) as TableId[];
const scimRoutes = httpRoutes.filter((r) => routeAuth(r) === 'scimToken');
const bucketIds = Object.keys(bucketDefinitions) as BucketId[];

let s: Synthesized;
let grants: ReturnType<typeof grantChecker>;

beforeAll(() => {
  s = synthesize({ bundle: false });
  grants = grantChecker(s);
});

/** Follows route → integration → function, the way API Gateway does. */
function functionOfRoute(route: HttpRoute): { functionId: string; fn: CfnResourceJson } {
  const [, routeResource] =
    resourcesOfType(s.json, 'AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties?.RouteKey === routeKey(route)) ?? [];
  if (!routeResource) throw new Error(`No route ${routeKey(route)}`);
  const target = routeResource.Properties?.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
  const integration = grants.resource(target['Fn::Join'][1][1].Ref);
  const functionId = referencedId(integration.Properties?.IntegrationUri);
  if (!functionId) throw new Error(`Integration of ${routeKey(route)} names no function`);
  return { functionId, fn: grants.resource(functionId) };
}

describe('tables', () => {
  it.each(tableIds)('%s is mapped from the shared definition with on-demand billing, PITR, deletion protection and RETAIN', (tableId) => {
    const definition: TableDefinition = tableDefinitions[tableId];
    const table = grants.resource(logicalId(s.stack.tables[tableId]));
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    const p = table.Properties!;
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.DeletionProtectionEnabled).toBe(true);
    expect(p.TableName, 'CloudFormation names the table; functions get the name from the environment').toBeUndefined();

    const keySchema = (partition: { name: string }, sort?: { name: string }) => [
      { AttributeName: partition.name, KeyType: 'HASH' },
      ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' }] : []),
    ];
    expect(p.KeySchema).toEqual(keySchema(definition.partitionKey, definition.sortKey));
    expect(p.GlobalSecondaryIndexes ?? []).toEqual(
      definition.globalIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    expect(p.StreamSpecification).toEqual(definition.stream ? { StreamViewType: definition.stream } : undefined);
    expect(p.TimeToLiveSpecification).toEqual(
      definition.timeToLiveAttribute ? { AttributeName: definition.timeToLiveAttribute, Enabled: true } : undefined,
    );
  });

  it('streams the seats table with new and old images (the notifier reads the counters)', () => {
    s.template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: 'area', KeyType: 'HASH' }],
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    });
    expect(resourcesOfType(s.json, 'AWS::DynamoDB::Table')).toHaveLength(tableIds.length);
  });
});

describe('buckets', () => {
  it.each(bucketIds)('%s is private, TLS-only, encrypted, access-logged and retained', (bucketId) => {
    const definition: BucketDefinition = bucketDefinitions[bucketId];
    const id = logicalId(s.stack.buckets[bucketId]);
    const bucket = grants.resource(id);
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties?.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe(
      'AES256',
    );
    expect(bucket.Properties?.LoggingConfiguration.LogFilePrefix).toBe(`${bucketId}/`);
    const rules = bucket.Properties?.LifecycleConfiguration.Rules as { ExpirationInDays?: number }[];
    expect(rules.find((r) => r.ExpirationInDays !== undefined)?.ExpirationInDays).toBe(definition.expireAfterDays);
    // Versioned where the definition says so (import jobs are keyed by object version).
    expect(bucket.Properties?.VersioningConfiguration?.Status === 'Enabled').toBe(definition.versioned ?? false);
    // Incomplete uploads go after a day; in a versioned bucket old versions after 30 days, and delete markers left alone.
    expect(rules).toContainEqual({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' });
    if (definition.versioned) {
      expect(rules).toContainEqual({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' });
      expect(rules).toContainEqual({ ExpiredObjectDeleteMarker: true, Status: 'Enabled' });
    }
    const policy = resourcesOfType(s.json, 'AWS::S3::BucketPolicy').find(([, p]) => referencedId(p.Properties?.Bucket) === id)?.[1];
    expect(policy?.Properties?.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('HTTP API', () => {
  it('has exactly the routes of httpRoutes (the local server and the stack read the same list)', () => {
    const deployed = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties?.RouteKey as string);
    expect(deployed.toSorted()).toEqual(httpRoutes.map(routeKey).toSorted());
    expect(new Set(deployed).size).toBe(deployed.length);
  });

  it('puts an authorizer on every route: the JWT one, or the SCIM token Lambda authorizer where the route says so', () => {
    const authorizers = new Map(resourcesOfType(s.json, 'AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers.size).toBe(scimRoutes.length > 0 ? 2 : 1);
    for (const [, route] of resourcesOfType(s.json, 'AWS::ApiGatewayV2::Route')) {
      const key = route.Properties?.RouteKey as string;
      const declared = httpRoutes.find((r) => routeKey(r) === key)!;
      const authorizer = authorizers.get(referencedId(route.Properties?.AuthorizerId) ?? '');
      expect(authorizer, key).toBeDefined();
      if (routeAuth(declared) === 'jwt') {
        expect(route.Properties?.AuthorizationType, key).toBe('JWT');
        expect(authorizer!.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
      } else {
        expect(route.Properties?.AuthorizationType, key).toBe('CUSTOM');
        expect(authorizer!.Properties).toMatchObject({
          AuthorizerType: 'REQUEST',
          AuthorizerPayloadFormatVersion: '2.0',
          EnableSimpleResponses: true,
          IdentitySource: ['$request.header.Authorization'],
          AuthorizerResultTtlInSeconds: SCIM_AUTHORIZER_CACHE_TTL.toSeconds(),
        });
        const uri = JSON.stringify(authorizer!.Properties?.AuthorizerUri);
        expect(uri).toContain(`"${logicalId(s.stack.httpApi.scimAuthorizerFunction!)}"`);
      }
    }
  });

  it('trusts the stack’s Cognito user pool and its app client', () => {
    const [, authorizer] = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Authorizer').find(
      ([, a]) => a.Properties?.AuthorizerType === 'JWT',
    )!;
    const poolId = logicalId(s.stack.auth.userPool!);
    const clientId = logicalId(s.stack.auth.userPoolClient!);
    expect(authorizer.Properties?.JwtConfiguration).toEqual({
      Audience: [{ Ref: clientId }],
      Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }]] },
    });
    const groups = resourcesOfType(s.json, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties?.GroupName);
    expect(groups.toSorted()).toEqual(['license-admin', 'people-admin']);
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
    // The pool, its groups and its client outlive the stack together.
    for (const type of ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolGroup', 'AWS::Cognito::UserPoolClient']) {
      for (const [id, r] of resourcesOfType(s.json, type)) expect(r.DeletionPolicy, id).toBe('Retain');
    }
    // A public client (no secret) for the console: authorization code (with PKCE), back to the console only.
    const consoleUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(s.stack.console.distribution), 'DomainName'] }, '/']] };
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [consoleUrl],
      LogoutURLs: [consoleUrl],
    });
    s.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
    // SRP, and password sign-in for the AWS CLI (docs/deploy.md), MFA after either; no admin or custom flows.
    const [[, client]] = resourcesOfType(s.json, 'AWS::Cognito::UserPoolClient') as [[string, CfnResourceJson]];
    expect((client.Properties?.ExplicitAuthFlows as string[]).toSorted()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    // An administrator's token may rename them, never change the email they sign in and recover with.
    expect((client.Properties?.WriteAttributes as string[]).toSorted()).toEqual(['family_name', 'given_name', 'name']);
  });

  it('serves one $default stage with JSON access logs and default throttling', () => {
    const stages = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const stage = stages[0]![1].Properties!;
    expect(stage.StageName).toBe('$default');
    expect(stage.AutoDeploy).toBe(true);
    expect(stage.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    expect(grants.resource(referencedId(stage.AccessLogSettings.DestinationArn)!).Type).toBe('AWS::Logs::LogGroup');
    const format = JSON.parse(stage.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(JSON.stringify(format), 'no IP addresses or user agents in access logs').not.toMatch(/sourceIp|userAgent/);
  });

  it('an alarm goes off when the API answers 5xx 5 times in 5 minutes (no topic unless -c alarmTopicArn)', () => {
    const alarm = resourcesOfType(s.json, 'AWS::CloudWatch::Alarm').find(([, a]) => a.Properties?.Namespace === 'AWS/ApiGateway')?.[1];
    expect(alarm?.Properties).toMatchObject({
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(s.stack.httpApi.api) } }],
      Statistic: 'Sum',
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 5,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm?.Properties?.AlarmActions).toBeUndefined();
  });
});

describe('functions', () => {
  it('deploys each function of the catalog once (no alert function without an alert sender), and nothing else', () => {
    const expected = allFunctionSpecs.map((f) => f.name).filter((name) => name !== notifySpec.name);
    expect(Object.keys(s.stack.functions).toSorted()).toEqual(expected.toSorted());
    const ours = new Set(Object.values(s.stack.functions).map(logicalId));
    const others = resourcesOfType(s.json, 'AWS::Lambda::Function').filter(([id]) => !ours.has(id));
    // Only aws-cdk-lib's deploy-time handlers: the imports bucket's notifications, and the console's files (BucketDeployment).
    expect(
      others.map(([id, fn]) => (id.startsWith('CustomCDKBucketDeployment') ? 'console files' : fn.Properties?.Description)).toSorted(),
    ).toEqual([expect.stringMatching(/Custom::S3BucketNotifications/), 'console files']);
  });

  it.each(httpRoutes.map((r) => [routeKey(r), r] as const))(
    '%s runs on Node 24 / ARM64 with Powertools settings and its own log group',
    (_, route) => {
      const { fn } = functionOfRoute(route);
      const p = fn.Properties!;
      // Defaults, unless the route asks for more (the streamed export: up to API Gateway's 30 s).
      expect(p).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: route.memoryMB ?? 512,
        Timeout: route.timeoutSeconds ?? 10,
      });
      expect(p.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'seatkeeper', POWERTOOLS_LOG_LEVEL: 'INFO' });
      // Administrators' roles come from the JWT's groups claim; SCIM callers are directories.
      expect(p.Environment.Variables.GROUPS_CLAIM).toBe(routeAuth(route) === 'jwt' ? 'cognito:groups' : undefined);
      expect(p.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' });
      const logGroup = grants.resource(referencedId(p.LoggingConfig.LogGroup)!);
      expect(logGroup.Properties?.RetentionInDays).toBe(30);

      // The physical name of each table it uses, under the variable the shared definition names; nothing else.
      const tableVariables = Object.fromEntries(
        Object.entries(p.Environment.Variables as Record<string, unknown>).filter(([name]) =>
          tableIds.some((id) => tableDefinitions[id].envName === name),
        ),
      );
      expect(tableVariables).toEqual(
        Object.fromEntries(
          Object.keys(route.tables).map((id) => [
            tableDefinitions[id as TableId].envName,
            { Ref: logicalId(s.stack.tables[id as TableId]) },
          ]),
        ),
      );
      const bucketVariables = Object.fromEntries(
        Object.entries(p.Environment.Variables as Record<string, unknown>).filter(([name]) =>
          bucketIds.some((id) => bucketDefinitions[id].envName === name),
        ),
      );
      expect(bucketVariables).toEqual(
        Object.fromEntries(
          Object.keys(route.buckets ?? {}).map((id) => [
            bucketDefinitions[id as BucketId].envName,
            { Ref: logicalId(s.stack.buckets[id as BucketId]) },
          ]),
        ),
      );
    },
  );

  it.each(httpRoutes.map((r) => [routeKey(r), r] as const))(
    '%s: the role grants only its tables and buckets maps, read-only where it says read',
    (_, route) => {
      grants.expectGrantsOf(
        {
          name: route.handler,
          tables: route.tables,
          ...(route.buckets ? { buckets: route.buckets } : {}),
          ...(route.invokes ? { invokes: route.invokes } : {}),
        },
        functionOfRoute(route).fn,
      );
    },
  );

  it('the SCIM authorizer may read tokens and record their use in the jobs table, nothing else', () => {
    expect(scimAuthorizerSpec.tables).toEqual({ jobs: ['GetItem', 'UpdateItem'] });
    grants.expectGrantsOf(scimAuthorizerSpec, grants.resource(logicalId(s.stack.httpApi.scimAuthorizerFunction!)));
  });

  it('the export and the SCIM full list run for up to 29 s with 1 GB, the activation run for 29 s; every other route keeps the defaults', () => {
    const sized = httpRoutes.filter((r) => r.timeoutSeconds || r.memoryMB);
    expect(sized.map(routeKey)).toEqual(['GET /export', 'POST /pending/activate', 'GET /scim/v2/Users']);
    const sizeOf = (key: string) => functionOfRoute(sized.find((r) => routeKey(r) === key)!).fn.Properties;
    expect(sizeOf('GET /export')).toMatchObject({ Timeout: 29, MemorySize: 1024 });
    expect(sizeOf('GET /scim/v2/Users')).toMatchObject({ Timeout: 29, MemorySize: 1024 });
    expect(sizeOf('POST /pending/activate')).toMatchObject({ Timeout: 29 });
  });

  /** A function's grants as "action resource" lines (log group left out), e.g. "s3:GetObject imports/reports/*". */
  function grantLines(handler: string): string[] {
    const route = httpRoutes.find((r) => r.handler === handler)!;
    return grants
      .statementsOf(functionOfRoute(route).fn)
      .flatMap((st) =>
        [st.Resource].flat().flatMap((resource) => {
          const target = grants.classify(resource);
          const where =
            target.kind === 'table'
              ? target.tableId
              : target.kind === 'index'
                ? `${target.tableId}/index/${target.indexName}`
                : target.kind === 'objects'
                  ? `${target.bucketId}/${target.prefix}*`
                  : target.kind === 'function'
                    ? `function/${Object.entries(s.stack.functions).find(([, fn]) => logicalId(fn) === target.id)?.[0]}`
                    : undefined;
          return where ? [st.Action].flat().map((action) => `${action} ${where}`) : [];
        }),
      )
      .toSorted();
  }

  // Written out, as the oracle: what a reader, the import and export routes may do, down to the action and key prefix.
  it.each([
    ['getUser', ['dynamodb:GetItem users']],
    ['getSummary', ['dynamodb:Scan seats']],
    ['listImports', ['dynamodb:Query jobs/index/byKind']],
    ['getImport', ['dynamodb:GetItem jobs', 'dynamodb:Query jobs', 's3:GetObject imports/reports/*']],
    ['createImportUpload', ['dynamodb:GetItem seats', 's3:PutObject imports/imports/*', 's3:PutObject imports/sync/*']],
    ['retryImport', ['dynamodb:GetItem jobs', 'dynamodb:Query jobs', 'lambda:InvokeFunction function/import']],
    ['blockUser', ['dynamodb:GetItem seats', 'dynamodb:GetItem users', 'dynamodb:PutItem users', 'dynamodb:UpdateItem seats']],
    [
      'exportPeople',
      [
        'dynamodb:GetItem seats',
        'dynamodb:PutItem jobs',
        'dynamodb:Query users/index/byArea',
        'dynamodb:Scan seats',
        's3:AbortMultipartUpload exports/people/*',
        's3:GetObject exports/people/*',
        's3:PutObject exports/people/*',
      ],
    ],
  ])('%s holds exactly these grants', (handler, expected) => {
    expect(grantLines(handler)).toEqual(expected.toSorted());
  });

  it('POST /imports/{id}/retry is told the import function’s name; no other function may invoke a function', () => {
    const importId = logicalId(s.stack.functions[importSpec.name]!);
    const retry = functionOfRoute(httpRoutes.find((r) => r.handler === 'retryImport')!).fn;
    expect(retry.Properties?.Environment.Variables.IMPORT_FUNCTION_NAME).toEqual({ Ref: importId });
    const invokers = resourcesOfType(s.json, 'AWS::IAM::Policy').filter(([, p]) =>
      JSON.stringify(p.Properties?.PolicyDocument).includes('lambda:InvokeFunction'),
    );
    expect(invokers.map(([, p]) => referencedId((p.Properties?.Roles as unknown[])[0]))).toEqual([referencedId(retry.Properties?.Role)]);
  });

  it('no policy of the stack grants a whole table’s indexes, a whole bucket, or a table action outside the few listed', () => {
    // The console deployment's handler (CDK's BucketDeployment) replaces every object of the console bucket: its own test below.
    const policies = resourcesOfType(s.json, 'AWS::IAM::Policy')
      .filter(([id]) => !id.startsWith('CustomCDKBucketDeployment'))
      .map(([, p]) => JSON.stringify(p.Properties?.PolicyDocument));
    for (const policy of policies) {
      expect(policy).not.toMatch(/\/index\/\*"/);
      expect(policy).not.toMatch(/"\/\*"/);
      expect(policy).not.toMatch(/dynamodb:(BatchWriteItem|DescribeTable|PartiQL|\*)/);
    }
  });

  it('the console deployment may touch only the CDK asset bucket, the console bucket and invalidations', () => {
    const [[, policy]] = resourcesOfType(s.json, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('CustomCDKBucketDeployment')) as [
      [string, CfnResourceJson],
    ];
    const statements = policy.Properties?.PolicyDocument.Statement as { Action: string[]; Resource: unknown }[];
    const resources = JSON.stringify(statements.map((st) => st.Resource));
    const siteBucket = logicalId(s.stack.console.bucket);
    expect(resources).toContain('cdk-hnb659fds-assets-');
    expect(resources).toContain(siteBucket);
    for (const bucket of Object.values(s.stack.buckets)) expect(resources).not.toContain(logicalId(bucket));
    const writes = statements.filter((st) => st.Action.some((a) => /s3:(PutObject|DeleteObject)/.test(a)));
    expect(JSON.stringify(writes.map((st) => st.Resource))).not.toContain('cdk-hnb659fds-assets-');
    expect(statements.filter((st) => st.Resource === '*').flatMap((st) => st.Action)).toEqual([
      'cloudfront:CreateInvalidation',
      'cloudfront:GetInvalidation',
    ]);
  });

  it('lets only this API invoke the route and authorizer functions', () => {
    const apiId = logicalId(s.stack.httpApi.api);
    const httpFunctionIds = new Set(
      [...Object.values(s.stack.httpApi.functions), ...(scimRoutes.length > 0 ? [s.stack.httpApi.scimAuthorizerFunction!] : [])].map(
        logicalId,
      ),
    );
    const permissions = resourcesOfType(s.json, 'AWS::Lambda::Permission').filter(([, p]) =>
      httpFunctionIds.has(referencedId(p.Properties?.FunctionName) ?? ''),
    );
    expect(permissions).toHaveLength(httpRoutes.length + (scimRoutes.length > 0 ? 1 : 0));
    for (const [, permission] of permissions) {
      expect(permission.Properties?.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(permission.Properties?.SourceArn)).toContain(`"Ref":"${apiId}"`);
    }
  });
});

describe('outputs', () => {
  it('names the API URL, tables, buckets, user pool and client', () => {
    expect(Object.keys(s.json.Outputs ?? {}).toSorted()).toEqual(
      [
        'ApiUrl',
        'ConsoleUrl',
        ...(scimRoutes.length > 0 ? ['ScimBaseUrl'] : []),
        'ExportsBucketName',
        'ImportsBucketName',
        'JobsTableName',
        'SeatsTableName',
        'UserPoolClientId',
        'UserPoolId',
        'UsersTableName',
      ].toSorted(),
    );
    expect(s.json.Outputs?.UsersTableName?.Value).toEqual({ Ref: logicalId(s.stack.tables.users) });
    expect(s.json.Outputs?.UserPoolId?.Value).toEqual({ Ref: logicalId(s.stack.auth.userPool!) });
    expect(JSON.stringify(s.json.Outputs?.ApiUrl?.Value)).toContain(logicalId(s.stack.httpApi.api));
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('ran and left no unacknowledged finding', () => {
    expectNagClean(s);
  });

  it('every acknowledgement has a reason and matches a real finding (none is stale)', () => {
    expectAcknowledgementsUsed(s);
  });
});
