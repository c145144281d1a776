/**
 * The web console on AWS: a private S3 bucket behind CloudFront (origin access control, HTTPS
 * only, security headers), the app built from web/ by the local Vite at synth, and the
 * runtime settings as a generated config.json. The API's CORS, the imports bucket's CORS and the
 * Cognito client's callback name this distribution's origin (seatkeeperStack.ts).
 *
 * The Content-Security-Policy names the services the console calls by their regional host
 * patterns (https://*.execute-api.<region>.amazonaws.com, https://*.s3.<region>.amazonaws.com):
 * their exact names would make a dependency cycle, as the API and the bucket name this
 * distribution's origin in their CORS rules.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Aws, CfnOutput, DockerImage, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
  type BehaviorOptions,
  type ICachePolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ConsoleConfig } from '../../web/src/consoleConfig.ts';
import { CONSOLE_HEADERS, HSTS_MAX_AGE_SECONDS, consoleContentSecurityPolicy } from '../../web/securityHeaders.ts';
import { projectRoot } from './bundling.ts';
import { acknowledgeNag } from './nag.ts';

const WEB_ROOT = join(projectRoot, 'web');

/** The hosts the console calls: the API, the imports bucket, and the identity provider (discovery and token endpoints). */
export function consoleConnectSources(identityProviderOrigins: string[]): string[] {
  return [`https://*.execute-api.${Aws.REGION}.amazonaws.com`, `https://*.s3.${Aws.REGION}.amazonaws.com`, ...identityProviderOrigins];
}

/** CONSOLE_HEADERS (web/securityHeaders.ts), as CloudFront's response headers policy spells them. */
const FRAME_OPTIONS: Record<(typeof CONSOLE_HEADERS)['x-frame-options'], HeadersFrameOption> = { DENY: HeadersFrameOption.DENY };
const REFERRER_POLICIES: Record<(typeof CONSOLE_HEADERS)['referrer-policy'], HeadersReferrerPolicy> = {
  'no-referrer': HeadersReferrerPolicy.NO_REFERRER,
};

export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://<distribution domain> — what CORS rules and the sign-in callback name. */
  readonly origin: string;
  /** `origin` + "/": the console's address (its OIDC redirect URI). */
  readonly url: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: { accessLogs: IBucket; connectSources: string[]; logRetention: RetentionDays },
  ) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'console/',
      // Only built files live here; each deploy puts them back. Kept on tear-down like the other buckets (delete by hand).
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Seatkeeper console: strict CSP, HSTS, no framing, nosniff, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(props.connectSources), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: FRAME_OPTIONS[CONSOLE_HEADERS['x-frame-options']], override: true },
        referrerPolicy: { referrerPolicy: REFERRER_POLICIES[CONSOLE_HEADERS['referrer-policy']], override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Cross-Origin-Opener-Policy', value: CONSOLE_HEADERS['cross-origin-opener-policy'], override: true }],
      },
    });
    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const behavior = (cachePolicy: ICachePolicy): BehaviorOptions => ({
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy,
      responseHeadersPolicy: headers,
      compress: true,
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Seatkeeper console',
      defaultRootObject: 'index.html',
      // index.html and config.json are read anew on every visit; the hashed assets/ are cached for good.
      defaultBehavior: behavior(CachePolicy.CACHING_DISABLED),
      additionalBehaviors: { 'assets/*': behavior(CachePolicy.CACHING_OPTIMIZED) },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
    });
    acknowledgeNag(
      this.distribution,
      'AwsSolutions-CFR1',
      'The console is the same static code for every visitor; who may use it is decided by sign-in and by the API, not by country.',
    );
    acknowledgeNag(
      this.distribution,
      'AwsSolutions-CFR2',
      'Static files only, no forms or server-side code behind CloudFront; the API (execute-api) has its own throttling and a JWT authorizer. Attach a web ACL with webAclId if your policy asks for one.',
    );
    acknowledgeNag(
      this.distribution,
      'AwsSolutions-CFR3',
      "CloudFront's standard logs need an ACL-enabled bucket, which the stack does not keep; the site bucket's own access logs record every file CloudFront fetches, and the API's access logs every call that reads or changes data.",
    );
    acknowledgeNag(
      this.distribution,
      'AwsSolutions-CFR4',
      'The default *.cloudfront.net certificate cannot pin a minimum TLS version; CloudFront negotiates TLS 1.2+ with current browsers. With a custom domain and an ACM certificate, set minimumProtocolVersion to TLSv1.2_2021.',
    );
    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.url = `${this.origin}/`;
    new CfnOutput(Stack.of(this), 'ConsoleUrl', {
      key: 'ConsoleUrl',
      value: this.url,
      description: 'The Seatkeeper web console: open it and sign in.',
    });
  }

  /** Uploads the built app and its config.json (values resolved at deploy time), replacing what was there. */
  publish(config: ConsoleConfig): BucketDeployment {
    const deployment = new BucketDeployment(this, 'Files', {
      destinationBucket: this.bucket,
      sources: [
        Source.asset(WEB_ROOT, { exclude: ['dist', 'dist.*', 'node_modules'], bundling: consoleBundling }),
        Source.jsonData('config.json', config),
      ],
      // The new index.html and config.json show at once; old hashed assets go.
      prune: true,
      distribution: this.distribution,
      distributionPaths: ['/', '/index.html', '/config.json'],
      memoryLimit: 512,
      // Its function's logs are kept as long as the functions' (logRetentionDays).
      logGroup: new LogGroup(this, 'FilesLogs', { retention: this.props.logRetention, removalPolicy: RemovalPolicy.DESTROY }),
    });
    // The deployment's function and role are CDK's own: a singleton at the stack's root.
    const handlers = Stack.of(this).node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    for (const handler of handlers) {
      acknowledgeNag(
        handler,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's BucketDeployment function writes its own logs with AWSLambdaBasicExecutionRole; it runs only during a deploy.",
      );
      const wildcards = [
        'Action::s3:GetBucket*',
        'Action::s3:GetObject*',
        'Action::s3:List*',
        'Action::s3:Abort*',
        'Action::s3:DeleteObject*',
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
        `Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*`,
        'Resource::*',
      ];
      for (const finding of wildcards) {
        acknowledgeNag(
          handler,
          `AwsSolutions-IAM5[${finding}]`,
          "CDK's BucketDeployment copies the built console from the CDK asset bucket into the console bucket (read the asset, replace and prune every object of the site bucket) and invalidates the distribution (cloudfront:CreateInvalidation takes no narrower resource than *); it runs only during a deploy.",
        );
      }
      acknowledgeNag(
        handler,
        'AwsSolutions-L1',
        "CDK's BucketDeployment chooses its function's runtime (Python with the AWS CLI layer); it runs only during a deploy.",
      );
    }
    return deployment;
  }
}

/** `vite build` with the local Vite into CDK's output folder (no Docker), as the functions are bundled with the local esbuild. */
const consoleBundling = {
  image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
  local: {
    tryBundle(outputDir: string): boolean {
      execFileSync(
        process.execPath,
        [join(projectRoot, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outputDir, '--emptyOutDir'],
        { cwd: WEB_ROOT, stdio: 'inherit' },
      );
      return true;
    },
  },
};
