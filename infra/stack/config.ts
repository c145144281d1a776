/**
 * Deployment settings read from CDK context (`-c key=value` on the command
 * line, or the "context" block of cdk.json). Everything has a default, so
 * `npx cdk deploy` with no context deploys a Cognito-backed stack.
 */
import { parseLink, parseShare, splitAlertEmails } from '../../functions/notify/config.ts';
import { parseAreaAttribute } from '../../functions/scim/userSchema.ts';
import { Aws } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { DEFAULT_GROUPS_CLAIM } from '#commons/api/authorize.ts';
import { areaName, directoryName } from '#core/fields.ts';
import { DEFAULT_ACTIVATION_INTERVAL_MINUTES } from '../../functions/activation/schedule.ts';
import { ACTIVATION_TIMEOUT_SECONDS } from '../../functions/manifest.ts';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * The SES identity the notifier sends as: `address` (default) creates an identity for the sender's
 * address (SES emails it a verification link); `domain` creates one for its domain (publish the DKIM
 * records SES lists); `existing` creates none and uses an identity verified before, the address or its domain.
 */
export type SenderIdentityKind = 'address' | 'domain' | 'existing';
const SENDER_IDENTITY_KINDS: readonly SenderIdentityKind[] = ['address', 'domain', 'existing'];

export interface SeatkeeperConfig {
  /** CloudFormation stack name (`-c stackName=…`), so a second copy (e.g. staging) can be deployed. */
  stackName: string;
  /** Existing OIDC issuer (and its audience); when unset the stack creates a Cognito user pool. */
  oidc?: { issuer: string; audience: string[] };
  /** Token claim that carries the caller's groups (passed to the functions as GROUPS_CLAIM). */
  groupsClaim: string;
  /** Default-stage throttling: steady requests per second and burst. */
  throttle: { rateLimit: number; burstLimit: number };
  logLevel: LogLevel;
  /** How long function and API access logs are kept. */
  logRetention: RetentionDays;
  /**
   * Limit alerts; without a sender no alert function is deployed. `sender` is the From
   * (`a@b.org` or `Name <a@b.org>`), `senderAddress` its address (a verified SES identity or of a verified domain).
   */
  alerts?: {
    sender: string;
    senderAddress: string;
    senderIdentity: SenderIdentityKind;
    /** Comma-separated addresses (ALERT_EMAILS), each checked at synth. */
    extraRecipients?: string;
    /** `0.9` or `90%`, checked at synth as the notifier parses it (ALERT_WARNING_SHARE). */
    warningShare?: string;
    /** An https:, http: or mailto: link (LICENSE_REQUEST_URL). */
    licenseRequestUrl?: string;
  };
  /** Minutes between scheduled activation runs; 0 turns the schedule off. */
  activationIntervalMinutes: number;
  /** An existing SNS topic the FailedEvents alarm notifies (e.g. one with the operators' email subscriptions). */
  alarmTopicArn?: string;
  /** Directories whose sync runs block users absent from the file (IMPORT_SYNC_BLOCK_ABSENT: names, or "*"). */
  syncBlockAbsent?: string;
  /** SCIM settings, passed to every SCIM route function (functions/scim/userSchema.ts reads them). */
  scim: { areaAttribute?: string; defaultArea?: string };
  /** The web console's sign-in (infra/stack/consoleHosting.ts). */
  console: ConsoleSettings;
}

/**
 * How the console signs in. With the stack's Cognito user pool: its managed login at
 * https://<domainPrefix>.auth.<region>.amazoncognito.com, the access token to the API. With `issuer`:
 * that provider's client `clientId` (default: the first audience), the ID token unless `apiToken` says otherwise.
 */
export interface ConsoleSettings {
  /** Cognito only: "<stackName in lower case>-<account id>" unless given (prefixes are unique per region). */
  domainPrefix?: string;
  clientId?: string;
  apiToken?: 'access' | 'id';
  scopes: string;
}

const defaults = {
  stackName: 'Seatkeeper',
  groupsClaim: DEFAULT_GROUPS_CLAIM,
  throttle: { rateLimit: 50, burstLimit: 100 },
  logLevel: 'INFO',
  logRetention: RetentionDays.ONE_MONTH,
  activationIntervalMinutes: DEFAULT_ACTIVATION_INTERVAL_MINUTES,
} as const satisfies Partial<SeatkeeperConfig>;

const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** The trimmed value of a context key; unset, empty or blank → undefined (the default applies). */
function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new Error(`Context '${key}' must be a string or a number, got ${JSON.stringify(value)}.`);
  }
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

function positiveNumber(node: Node, key: string, fallback: number, integer: boolean, allowZero = false): number {
  const raw = text(node, key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero) || (integer && !Number.isInteger(value))) {
    throw new Error(
      `Context '${key}' must be a ${allowZero ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'number'}, got '${raw}'.`,
    );
  }
  return value;
}

/** `a@b.org` or `Name <a@b.org>` → the address; undefined when it is neither. */
function senderAddressOf(sender: string): string | undefined {
  const address = /^[^<>]*<([^<>]+)>$/.exec(sender)?.[1]?.trim() ?? sender;
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address) ? address : undefined;
}

/*
 * The alert settings are checked with the notifier's own parsers (functions/notify/config.ts): a value it would
 * refuse or skip must stop the synth, not fail every stream batch (or drop a recipient) after a deploy.
 */

/** ALERT_EMAILS: addresses separated by commas, semicolons or spaces → "a@x.org,b@y.org". */
function alertEmailList(value: string): string {
  const { addresses, bad } = splitAlertEmails(value);
  if (addresses.length === 0 || bad.length > 0) {
    throw new Error(
      `Context 'alertEmails' must be email addresses separated by commas, got '${value}'${bad.length ? ` (not an address: ${bad.map((b) => `'${b.text}'`).join(', ')})` : ''}.`,
    );
  }
  return addresses.join(',');
}

const warningShare = (value: string) => (parseShare(value, "Context 'alertWarningShare'"), value);
const licenseRequestLink = (value: string) => (parseLink(value, "Context 'licenseRequestUrl'"), value);

/** CloudFormation's rule: a letter, then letters, digits and hyphens, at most 128 characters. */
function stackName(node: Node): string {
  const value = text(node, 'stackName') ?? defaults.stackName;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value)) {
    throw new Error(
      `Context 'stackName' must start with a letter and hold only letters, digits and hyphens (at most 128 characters), got '${value}'.`,
    );
  }
  return value;
}

/** Minutes between activation runs: 0 (no schedule), or no shorter than a run may take, so runs never overlap. */
function activationInterval(node: Node): number {
  const minutes = positiveNumber(node, 'activationIntervalMinutes', defaults.activationIntervalMinutes, true, true);
  const shortest = Math.ceil(ACTIVATION_TIMEOUT_SECONDS / 60);
  if (minutes > 0 && minutes < shortest) {
    throw new Error(
      `Context 'activationIntervalMinutes' must be 0 (no schedule) or at least ${shortest} (the activation function's timeout), got ${minutes}.`,
    );
  }
  return minutes;
}

function alarmSettings(node: Node): Pick<SeatkeeperConfig, 'alarmTopicArn'> {
  const arn = text(node, 'alarmTopicArn');
  if (arn === undefined) return {};
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(arn)) {
    throw new Error(`Context 'alarmTopicArn' must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), got '${arn}'.`);
  }
  return { alarmTopicArn: arn };
}

function syncSettings(node: Node): Pick<SeatkeeperConfig, 'syncBlockAbsent'> {
  const value = text(node, 'syncBlockAbsent');
  if (value === undefined) return {};
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!names.every((name) => name === '*' || directoryName.safeParse(name).success)) {
    throw new Error(`Context 'syncBlockAbsent' must be directory names separated by commas, or '*', got '${value}'.`);
  }
  return { syncBlockAbsent: names.join(',') };
}

function scimSettings(node: Node): SeatkeeperConfig['scim'] {
  const areaAttribute = text(node, 'scimAreaAttribute');
  // Checked as the SCIM functions will read it.
  if (areaAttribute !== undefined) parseAreaAttribute(areaAttribute, "Context 'scimAreaAttribute'");
  const defaultArea = text(node, 'scimDefaultArea');
  if (defaultArea !== undefined && !areaName.safeParse(defaultArea).success) {
    throw new Error(`Context 'scimDefaultArea' must be an area name (lower-case letters, digits, dashes), got '${defaultArea}'.`);
  }
  return { ...(areaAttribute !== undefined ? { areaAttribute } : {}), ...(defaultArea !== undefined ? { defaultArea } : {}) };
}

function consoleSettings(node: Node, oidc: SeatkeeperConfig['oidc'], stack: string): ConsoleSettings {
  const domainPrefix = text(node, 'cognitoDomainPrefix');
  // Cognito's rule: lower-case letters, digits and hyphens, and none of its reserved words.
  if (
    domainPrefix !== undefined &&
    (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix) || /aws|amazon|cognito/.test(domainPrefix))
  ) {
    throw new Error(
      `Context 'cognitoDomainPrefix' must be 1-63 lower-case letters, digits and hyphens without 'aws', 'amazon' or 'cognito', got '${domainPrefix}'.`,
    );
  }
  const clientId = text(node, 'consoleClientId');
  const apiToken = text(node, 'consoleApiToken');
  if (apiToken !== undefined && apiToken !== 'access' && apiToken !== 'id') {
    throw new Error(`Context 'consoleApiToken' must be 'access' or 'id', got '${apiToken}'.`);
  }
  if (domainPrefix !== undefined && oidc)
    throw new Error(
      "Context 'cognitoDomainPrefix' is for the stack's Cognito user pool; with 'issuer' the console signs in at your provider.",
    );
  if (clientId !== undefined && !oidc)
    throw new Error("Context 'consoleClientId' is for your own 'issuer'; with Cognito the stack creates the console's client.");
  return {
    ...(oidc ? {} : { domainPrefix: domainPrefix ?? `${stack.toLowerCase()}-${Aws.ACCOUNT_ID}` }),
    ...(clientId !== undefined ? { clientId } : {}),
    ...(apiToken !== undefined ? { apiToken } : {}),
    scopes: text(node, 'consoleScopes') ?? 'openid email profile',
  };
}

export function readConfig(node: Node): SeatkeeperConfig {
  const issuer = text(node, 'issuer');
  const audience = text(node, 'audience')
    ?.split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if ((issuer === undefined) !== (audience === undefined || audience.length === 0)) {
    throw new Error(
      "Give both 'issuer' and 'audience' (e.g. -c issuer=https://login.example.com -c audience=seatkeeper), or neither to use a Cognito user pool.",
    );
  }
  if (issuer !== undefined && !/^https:\/\/[^\s/]+/.test(issuer)) {
    throw new Error(
      `Context 'issuer' must be an https URL (API Gateway fetches <issuer>/.well-known/openid-configuration), got '${issuer}'.`,
    );
  }

  const logLevel = (text(node, 'logLevel') ?? defaults.logLevel).toUpperCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new Error(`Context 'logLevel' must be one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'.`);
  }

  const retentionDays = positiveNumber(node, 'logRetentionDays', defaults.logRetention, true);
  if (!(Object.values(RetentionDays) as number[]).includes(retentionDays)) {
    throw new Error(
      `Context 'logRetentionDays' must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, …), got ${retentionDays}.`,
    );
  }

  const alertSender = text(node, 'alertSender');
  const senderAddress = alertSender === undefined ? undefined : senderAddressOf(alertSender);
  if (alertSender !== undefined && senderAddress === undefined) {
    throw new Error(
      `Context 'alertSender' must be an email address or 'Name <address>' (a verified SES identity or an address of a verified domain), got '${alertSender}'.`,
    );
  }
  const alertEmails = text(node, 'alertEmails');
  const alertWarningShare = text(node, 'alertWarningShare');
  const licenseRequestUrl = text(node, 'licenseRequestUrl');
  const alertSenderIdentity = text(node, 'alertSenderIdentity');
  const senderIdentity = (alertSenderIdentity ?? 'address').toLowerCase() as SenderIdentityKind;
  if ((alertEmails ?? alertWarningShare ?? licenseRequestUrl ?? alertSenderIdentity) !== undefined && alertSender === undefined) {
    throw new Error(
      "Context 'alertEmails', 'alertWarningShare', 'licenseRequestUrl' and 'alertSenderIdentity' configure limit alerts, which need 'alertSender' too.",
    );
  }
  if (!SENDER_IDENTITY_KINDS.includes(senderIdentity)) {
    throw new Error(`Context 'alertSenderIdentity' must be one of ${SENDER_IDENTITY_KINDS.join(', ')}, got '${senderIdentity}'.`);
  }

  return {
    stackName: stackName(node),
    ...(issuer !== undefined && audience ? { oidc: { issuer, audience } } : {}),
    ...(alertSender !== undefined
      ? {
          alerts: {
            sender: alertSender,
            senderAddress: senderAddress!,
            senderIdentity,
            ...(alertEmails !== undefined ? { extraRecipients: alertEmailList(alertEmails) } : {}),
            ...(alertWarningShare !== undefined ? { warningShare: warningShare(alertWarningShare) } : {}),
            ...(licenseRequestUrl !== undefined ? { licenseRequestUrl: licenseRequestLink(licenseRequestUrl) } : {}),
          },
        }
      : {}),
    activationIntervalMinutes: activationInterval(node),
    ...alarmSettings(node),
    scim: scimSettings(node),
    console: consoleSettings(node, issuer !== undefined && audience ? { issuer, audience } : undefined, stackName(node)),
    ...syncSettings(node),
    groupsClaim: text(node, 'groupsClaim') ?? defaults.groupsClaim,
    throttle: {
      rateLimit: positiveNumber(node, 'throttleRateLimit', defaults.throttle.rateLimit, false),
      burstLimit: positiveNumber(node, 'throttleBurstLimit', defaults.throttle.burstLimit, true),
    },
    logLevel: logLevel as LogLevel,
    logRetention: retentionDays,
  };
}
