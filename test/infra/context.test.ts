/**
 * Deployment settings given as CDK context, all in one synth (none of them
 * touches what another checks): an existing OIDC issuer instead of Cognito,
 * the groups claim, throttling, log level and retention, the activation
 * schedule off, SCIM settings and sync runs that block absent users; and the
 * errors for settings that cannot work. Bundling is skipped (stack.test.ts and
 * bundling.test.ts cover it); cdk-nag still runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { httpRoutes, routeAuth, routeKey } from '../../functions/manifest.ts';
import { readConfig } from '../../infra/stack/config.ts';
import { logicalId, resourcesOfType, synthesize, type Synthesized } from './synth.ts';

describe('with an existing OIDC issuer and every other setting given', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize({
      bundle: false,
      context: {
        issuer: 'https://login.example.com/tenant/v2.0',
        audience: 'api://seatkeeper, seatkeeper-cli',
        groupsClaim: 'groups',
        throttleRateLimit: '10',
        throttleBurstLimit: '20',
        logLevel: 'debug',
        logRetentionDays: '7',
        activationIntervalMinutes: 0,
        scimAreaAttribute: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
        scimDefaultArea: 'extranet',
        syncBlockAbsent: 'okta, entra',
        alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops-alerts',
        stackName: 'Seatkeeper-staging',
      },
    });
  });

  it('deploys under the stack name given', () => {
    expect(s.stack.stackName).toBe('Seatkeeper-staging');
    expect(s.stack.config.stackName).toBe('Seatkeeper-staging');
  });

  it('creates no user pool and trusts the given issuer and audiences on every administrator route', () => {
    expect(resourcesOfType(s.json, 'AWS::Cognito::UserPool')).toEqual([]);
    const jwt = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Authorizer').filter(([, a]) => a.Properties?.AuthorizerType === 'JWT');
    expect(jwt).toHaveLength(1);
    const [jwtId, authorizer] = jwt[0]!;
    expect(authorizer.Properties).toMatchObject({
      JwtConfiguration: { Issuer: 'https://login.example.com/tenant/v2.0', Audience: ['api://seatkeeper', 'seatkeeper-cli'] },
    });
    const routes = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Route');
    expect(routes).toHaveLength(httpRoutes.length);
    const jwtRouteKeys = httpRoutes.filter((r) => routeAuth(r) === 'jwt').map(routeKey);
    const routesOnJwt = routes.filter(([, r]) => r.Properties?.AuthorizerId?.Ref === jwtId).map(([, r]) => r.Properties?.RouteKey);
    expect(routesOnJwt.toSorted()).toEqual(jwtRouteKeys.toSorted());
  });

  it('tells the administrator functions which claim carries the groups; every function logs at the requested level', () => {
    const ours = new Set(Object.values(s.stack.functions).map(logicalId));
    const functions = resourcesOfType(s.json, 'AWS::Lambda::Function').filter(([id]) => ours.has(id));
    const withClaim = functions.filter(([, fn]) => fn.Properties?.Environment.Variables.GROUPS_CLAIM !== undefined);
    expect(withClaim).toHaveLength(new Set(httpRoutes.filter((r) => routeAuth(r) === 'jwt').map((r) => r.handler)).size);
    for (const [, fn] of withClaim) expect(fn.Properties?.Environment.Variables.GROUPS_CLAIM).toBe('groups');
    for (const [, fn] of functions) {
      expect(fn.Properties?.Environment.Variables.POWERTOOLS_LOG_LEVEL).toBe('DEBUG');
      expect(fn.Properties?.LoggingConfig.ApplicationLogLevel).toBe('DEBUG');
    }
  });

  it('applies the throttling and log retention from context', () => {
    const [, stage] = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Stage')[0]!;
    expect(stage.Properties?.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 });
    const retentions = resourcesOfType(s.json, 'AWS::Logs::LogGroup').map(([, g]) => g.Properties?.RetentionInDays);
    // One per function, one for the API access logs, one for the console deployment's function.
    expect(retentions.length).toBe(Object.keys(s.stack.functions).length + 2);
    expect(new Set(retentions)).toEqual(new Set([7]));
  });

  it('outputs no user pool', () => {
    expect(Object.keys(s.json.Outputs ?? {})).not.toContain('UserPoolId');
    expect(Object.keys(s.json.Outputs ?? {})).toContain('ApiUrl');
  });

  it('with the activation schedule off, deploys the activation function without a schedule', () => {
    expect(resourcesOfType(s.json, 'AWS::Events::Rule')).toEqual([]);
    expect(s.stack.events.activationFunction).toBeDefined();
  });

  it('gives every SCIM route function the same area attribute and default area, and no other function', () => {
    const scimHandlers = new Set(httpRoutes.filter((r) => routeAuth(r) === 'scimToken').map((r) => r.handler));
    expect(Object.keys(s.stack.functions).filter((name) => scimHandlers.has(name))).toHaveLength(scimHandlers.size);
    for (const [name, fn] of Object.entries(s.stack.functions)) {
      const variables = resourcesOfType(s.json, 'AWS::Lambda::Function').find(([id]) => id === logicalId(fn))![1].Properties?.Environment
        .Variables;
      if (scimHandlers.has(name)) {
        expect(variables).toMatchObject({
          SCIM_AREA_ATTRIBUTE: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
          SCIM_DEFAULT_AREA: 'extranet',
        });
      } else {
        expect(variables.SCIM_AREA_ATTRIBUTE).toBeUndefined();
      }
    }
  });

  it('the alarms (FailedEvents, API 5xx) notify the given SNS topic', () => {
    const alarms = resourcesOfType(s.json, 'AWS::CloudWatch::Alarm');
    expect(alarms.map(([, alarm]) => alarm.Properties?.Namespace).toSorted()).toEqual(['AWS/ApiGateway', 'AWS/SQS']);
    for (const [, alarm] of alarms) expect(alarm.Properties?.AlarmActions).toEqual(['arn:aws:sns:eu-west-1:123456789012:ops-alerts']);
  });

  it('tells the import function which directories’ sync runs block absent users', () => {
    const [, fn] = resourcesOfType(s.json, 'AWS::Lambda::Function').find(([id]) => id === logicalId(s.stack.events.importFunction))!;
    expect(fn.Properties?.Environment.Variables.IMPORT_SYNC_BLOCK_ABSENT).toBe('okta,entra');
  });
});

describe('blank settings take their defaults', () => {
  it('a blank groupsClaim or stackName is unset, not an empty claim name', () => {
    // Settings only: that the stack takes config.stackName is checked above.
    const config = readConfig(new App({ context: { groupsClaim: '   ', stackName: ' ' } }).node);
    expect(config.groupsClaim).toBe('cognito:groups');
    expect(config.stackName).toBe('Seatkeeper');
  });
});

describe('settings that cannot work are refused at synth', () => {
  const sender = { alertSender: 'alerts@example.com' };
  it.each([
    [{ issuer: 'https://login.example.com' }, /both 'issuer' and 'audience'/],
    [{ audience: 'seatkeeper' }, /both 'issuer' and 'audience'/],
    [{ issuer: 'http://login.example.com', audience: 'seatkeeper' }, /must be an https URL/],
    [{ throttleRateLimit: '-1' }, /throttleRateLimit' must be a positive number/],
    [{ throttleBurstLimit: '2.5' }, /throttleBurstLimit' must be a positive integer/],
    [{ logLevel: 'verbose' }, /logLevel' must be one of/],
    [{ logRetentionDays: '8' }, /logRetentionDays' must be a CloudWatch Logs retention/],
    [{ alertSender: 'alerts at example.com' }, /alertSender' must be an email address/],
    [{ alertSender: 'Alerts <alerts at example.com>' }, /alertSender' must be an email address/],
    [{ alertEmails: 'it@example.com' }, /need 'alertSender' too/],
    [{ activationIntervalMinutes: '-5' }, /activationIntervalMinutes' must be a non-negative integer/],
    [{ alarmTopicArn: 'ops-alerts' }, /alarmTopicArn' must be an SNS topic ARN/],
    // Shorter than the activation function's 5-minute timeout: runs could overlap.
    [{ activationIntervalMinutes: '4' }, /activationIntervalMinutes' must be 0 \(no schedule\) or at least 5/],
    [{ ...sender, alertWarningShare: 'banana' }, /alertWarningShare' must be a share of the limit/],
    [{ ...sender, alertWarningShare: '0' }, /alertWarningShare' must be a share of the limit/],
    [{ ...sender, alertWarningShare: '150%' }, /alertWarningShare' must be a share of the limit/],
    [{ ...sender, alertWarningShare: '1.5' }, /alertWarningShare' must be a share of the limit/],
    [{ ...sender, licenseRequestUrl: 'javascript:alert(1)' }, /licenseRequestUrl' must be an https:, http: or mailto: link/],
    [{ ...sender, licenseRequestUrl: 'data:text/html,hi' }, /licenseRequestUrl' must be an https:, http: or mailto: link/],
    [{ ...sender, licenseRequestUrl: 'intranet/licences' }, /licenseRequestUrl' is not a URL/],
    [{ ...sender, alertEmails: 'it@example.com, licences' }, /alertEmails' must be email addresses.*'licences'/],
    [{ ...sender, alertEmails: ' , ' }, /alertEmails' must be email addresses/],
    [{ ...sender, alertSenderIdentity: 'ip-address' }, /alertSenderIdentity' must be one of address, domain, existing/],
    [{ alertSenderIdentity: 'domain' }, /need 'alertSender' too/],
    [{ alertWarningShare: '0.8' }, /need 'alertSender' too/],
    [{ stackName: 'seatkeeper_staging' }, /stackName' must start with a letter/],
    [{ stackName: '2seatkeeper' }, /stackName' must start with a letter/],
    [{ stackName: 'S'.repeat(129) }, /stackName' must start with a letter/],
    [{ scimAreaAttribute: 'urn:example:department name' }, /scimAreaAttribute' must be/],
    [{ scimAreaAttribute: 'userName' }, /scimAreaAttribute' must be .* a core attribute Seatkeeper does not already use/],
    [{ scimDefaultArea: 'Sales Team' }, /scimDefaultArea' must be an area name/],
    [{ syncBlockAbsent: 'Okta Prod' }, /syncBlockAbsent' must be directory names/],
  ])('%j', (context, message) => {
    expect(() => synthesize({ bundle: false, context })).toThrow(message);
  });
});
