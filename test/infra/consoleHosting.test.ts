/**
 * The console's hosting in the template: a private bucket behind CloudFront with origin access
 * control, HTTPS only, the security headers of web/securityHeaders.ts, and CORS on the API and the
 * imports bucket for the console's origin only; its config.json for Cognito and for an own issuer.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_HEADERS, HSTS_MAX_AGE_SECONDS } from '../../web/securityHeaders.ts';
import { logicalId, resourcesOfType, synthesize, type Synthesized } from './synth.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthesize({ bundle: false });
});

const consoleOrigin = () => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(s.stack.console.distribution), 'DomainName'] }]] });

/** The config.json the deployment writes: Source.jsonData's file, with CDK's markers for deploy-time values. */
function configJson(synth: Synthesized): { config: Record<string, any>; markers: Record<string, unknown> } {
  const [, deployment] = resourcesOfType(synth.json, 'Custom::CDKBucketDeployment')[0]!;
  const markers = (deployment.Properties?.SourceMarkers as Record<string, unknown>[]).find((m) => Object.keys(m).length > 0) ?? {};
  for (const dir of readdirSync(synth.outdir).filter((name) => name.startsWith('asset.'))) {
    const file = join(synth.outdir, dir, 'config.json');
    try {
      return { config: JSON.parse(readFileSync(file, 'utf8')), markers };
    } catch {
      // not this asset
    }
  }
  throw new Error('no config.json asset');
}

describe('console hosting', () => {
  it('serves a private bucket through CloudFront with origin access control, HTTPS only', () => {
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    const [[, distribution]] = resourcesOfType(s.json, 'AWS::CloudFront::Distribution') as [[string, any]];
    const config = distribution.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors])
      expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    expect(resourcesOfType(s.json, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    // Only CloudFront (this distribution) reads the site bucket.
    const policy = resourcesOfType(s.json, 'AWS::S3::BucketPolicy').find(([, p]) =>
      JSON.stringify(p.Properties?.Bucket).includes(logicalId(s.stack.console.bucket)),
    )!;
    const read = JSON.stringify(policy[1].Properties?.PolicyDocument);
    expect(read).toContain('cloudfront.amazonaws.com');
    expect(read).toContain(logicalId(s.stack.console.distribution));
  });

  it('answers with a strict CSP, HSTS, no framing, nosniff and no referrer', () => {
    const [[, policy]] = resourcesOfType(s.json, 'AWS::CloudFront::ResponseHeadersPolicy') as [[string, any]];
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      'connect-src',
    ])
      expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
      IncludeSubdomains: true,
      Override: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: CONSOLE_HEADERS['x-frame-options'], Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: CONSOLE_HEADERS['referrer-policy'], Override: true });
  });

  it("lets the console's origin alone call the API and send files to the imports bucket", () => {
    const [[, api]] = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Api') as [[string, any]];
    expect(api.Properties.CorsConfiguration).toMatchObject({
      AllowOrigins: [consoleOrigin()],
      AllowHeaders: ['authorization', 'content-type', 'idempotency-key'],
      ExposeHeaders: ['location'],
    });
    const imports = s.json.Resources[logicalId(s.stack.buckets.imports)]!;
    expect(imports.Properties?.CorsConfiguration.CorsRules).toEqual([
      { AllowedHeaders: ['*'], AllowedMethods: ['PUT', 'GET'], AllowedOrigins: [consoleOrigin()], MaxAge: 600 },
    ]);
    const exports = s.json.Resources[logicalId(s.stack.buckets.exports)]!;
    expect(exports.Properties?.CorsConfiguration).toBeUndefined();
  });

  it("writes a config.json that signs in at the user pool's managed login and calls the API with the access token", () => {
    const { config, markers } = configJson(s);
    expect(config).toMatchObject({
      groupsClaim: 'cognito:groups',
      warningShare: 0.9,
      auth: { kind: 'oidc', scopes: 'openid email profile', apiToken: 'access' },
    });
    // Deploy-time values: the API URL, the pool's issuer, the client id, the logout URL.
    const deployTime = JSON.stringify(markers);
    expect(deployTime).toContain(logicalId(s.stack.httpApi.api));
    expect(deployTime).toContain(logicalId(s.stack.auth.userPoolClient!));
    expect(config.auth.logoutUrl).toMatch(/\/logout\?client_id=/);
    expect(Object.keys(s.json.Outputs ?? {})).toContain('ConsoleUrl');
  });

  it('with an own issuer: its client (the first audience), the ID token, and no user pool domain', () => {
    const own = synthesize({
      bundle: false,
      context: { issuer: 'https://login.example.com/tenant/v2.0', audience: 'console-app,other', groupsClaim: 'roles' },
    });
    const { config } = configJson(own);
    expect(config).toMatchObject({
      groupsClaim: 'roles',
      auth: { kind: 'oidc', issuer: 'https://login.example.com/tenant/v2.0', clientId: 'console-app', apiToken: 'id' },
    });
    expect(resourcesOfType(own.json, 'AWS::Cognito::UserPoolDomain')).toEqual([]);
    const [[, policy]] = resourcesOfType(own.json, 'AWS::CloudFront::ResponseHeadersPolicy') as [[string, any]];
    expect(JSON.stringify(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy)).toContain(
      'https://login.example.com',
    );
  });

  it("signs in at the managed login's own domain, which the CSP names exactly", () => {
    const named = synthesize({ bundle: false, context: { cognitoDomainPrefix: 'acme-licences' } });
    named.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-licences', ManagedLoginVersion: 2 });
    const [[, policy]] = resourcesOfType(named.json, 'AWS::CloudFront::ResponseHeadersPolicy') as [[string, any]];
    const csp = JSON.stringify(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy);
    expect(csp).toContain('https://acme-licences.auth.');
    expect(csp).toContain('https://cognito-idp.');
  });

  it('refuses console settings that do not fit the sign-in chosen', () => {
    expect(() => synthesize({ bundle: false, context: { consoleClientId: 'x' } })).toThrow(/consoleClientId/);
    expect(() => synthesize({ bundle: false, context: { cognitoDomainPrefix: 'my-aws-login' } })).toThrow(/cognitoDomainPrefix/);
    expect(() => synthesize({ bundle: false, context: { consoleApiToken: 'refresh' } })).toThrow(/consoleApiToken/);
  });
});
