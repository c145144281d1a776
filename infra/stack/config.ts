/**
 * Deployment settings read from CDK context (`-c key=value` on the command
 * line, or the "context" block of cdk.json). Everything has a default, so
 * `npx cdk deploy` with no context deploys a Cognito-backed stack.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface SeatkeeperConfig {
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
  alerts?: { sender: string; senderAddress: string; extraRecipients?: string; warningShare?: string; licenseRequestUrl?: string };
  /** Minutes between scheduled activation runs; 0 turns the schedule off. */
  activationIntervalMinutes: number;
  /** Directories whose sync runs block users absent from the file (IMPORT_SYNC_BLOCK_ABSENT: names, or "*"). */
  syncBlockAbsent?: string;
  /** SCIM settings, passed to every SCIM route function (functions/scim/userSchema.ts reads them). */
  scim: { areaAttribute?: string; defaultArea?: string };
}

export const defaultConfig: SeatkeeperConfig = {
  groupsClaim: 'cognito:groups',
  throttle: { rateLimit: 50, burstLimit: 100 },
  logLevel: 'INFO',
  logRetention: RetentionDays.ONE_MONTH,
  // Same default as the local runtime's timer (infra/local/activationTimer.ts).
  activationIntervalMinutes: 40,
  scim: {},
};

export const contextKeys = {
  issuer: 'issuer',
  audience: 'audience',
  groupsClaim: 'groupsClaim',
  throttleRateLimit: 'throttleRateLimit',
  throttleBurstLimit: 'throttleBurstLimit',
  logLevel: 'logLevel',
  logRetentionDays: 'logRetentionDays',
  alertSender: 'alertSender',
  alertEmails: 'alertEmails',
  alertWarningShare: 'alertWarningShare',
  licenseRequestUrl: 'licenseRequestUrl',
  activationIntervalMinutes: 'activationIntervalMinutes',
  syncBlockAbsent: 'syncBlockAbsent',
  scimAreaAttribute: 'scimAreaAttribute',
  scimDefaultArea: 'scimDefaultArea',
} as const;

const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new Error(`Context '${key}' must be a string or a number, got ${JSON.stringify(value)}.`);
  }
  return String(value).trim();
}

function positiveNumber(node: Node, key: string, fallback: number, integer: boolean, allowZero = false): number {
  const raw = text(node, key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero) || (integer && !Number.isInteger(value))) {
    throw new Error(`Context '${key}' must be a ${allowZero ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'number'}, got '${raw}'.`);
  }
  return value;
}

/** `a@b.org` or `Name <a@b.org>` → the address; undefined when it is neither. */
function senderAddressOf(sender: string): string | undefined {
  const address = /^[^<>]*<([^<>]+)>$/.exec(sender)?.[1]?.trim() ?? sender;
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address) ? address : undefined;
}

function syncSettings(node: Node): Pick<SeatkeeperConfig, 'syncBlockAbsent'> {
  const value = text(node, contextKeys.syncBlockAbsent);
  if (value === undefined) return {};
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  if (!names.every((name) => name === '*' || /^[a-z][a-z0-9-]{0,39}$/.test(name))) {
    throw new Error(`Context 'syncBlockAbsent' must be directory names separated by commas, or '*', got '${value}'.`);
  }
  return { syncBlockAbsent: names.join(',') };
}

function scimSettings(node: Node): SeatkeeperConfig['scim'] {
  const areaAttribute = text(node, contextKeys.scimAreaAttribute);
  const defaultArea = text(node, contextKeys.scimDefaultArea);
  if (defaultArea !== undefined && !/^[a-z][a-z0-9-]{0,39}$/.test(defaultArea)) {
    throw new Error(`Context 'scimDefaultArea' must be an area name (lower-case letters, digits, dashes), got '${defaultArea}'.`);
  }
  return { ...(areaAttribute !== undefined ? { areaAttribute } : {}), ...(defaultArea !== undefined ? { defaultArea } : {}) };
}

export function readConfig(node: Node): SeatkeeperConfig {
  const issuer = text(node, contextKeys.issuer);
  const audience = text(node, contextKeys.audience)
    ?.split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if ((issuer === undefined) !== (audience === undefined || audience.length === 0)) {
    throw new Error("Give both 'issuer' and 'audience' (e.g. -c issuer=https://login.example.com -c audience=seatkeeper), or neither to use a Cognito user pool.");
  }
  if (issuer !== undefined && !/^https:\/\/[^\s/]+/.test(issuer)) {
    throw new Error(`Context 'issuer' must be an https URL (API Gateway fetches <issuer>/.well-known/openid-configuration), got '${issuer}'.`);
  }

  const logLevel = (text(node, contextKeys.logLevel) ?? defaultConfig.logLevel).toUpperCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new Error(`Context 'logLevel' must be one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'.`);
  }

  const retentionDays = positiveNumber(node, contextKeys.logRetentionDays, defaultConfig.logRetention, true);
  if (!(Object.values(RetentionDays) as number[]).includes(retentionDays)) {
    throw new Error(`Context 'logRetentionDays' must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, …), got ${retentionDays}.`);
  }

  const alertSender = text(node, contextKeys.alertSender);
  const senderAddress = alertSender === undefined ? undefined : senderAddressOf(alertSender);
  if (alertSender !== undefined && senderAddress === undefined) {
    throw new Error(`Context 'alertSender' must be an email address or 'Name <address>' (a verified SES identity or an address of a verified domain), got '${alertSender}'.`);
  }
  const alertEmails = text(node, contextKeys.alertEmails);
  const alertWarningShare = text(node, contextKeys.alertWarningShare);
  const licenseRequestUrl = text(node, contextKeys.licenseRequestUrl);
  if ((alertEmails ?? alertWarningShare ?? licenseRequestUrl) !== undefined && alertSender === undefined) {
    throw new Error("Context 'alertEmails', 'alertWarningShare' and 'licenseRequestUrl' configure limit alerts, which need 'alertSender' too.");
  }

  return {
    ...(issuer !== undefined && audience ? { oidc: { issuer, audience } } : {}),
    ...(alertSender !== undefined
      ? {
          alerts: {
            sender: alertSender,
            senderAddress: senderAddress!,
            ...(alertEmails !== undefined ? { extraRecipients: alertEmails } : {}),
            ...(alertWarningShare !== undefined ? { warningShare: alertWarningShare } : {}),
            ...(licenseRequestUrl !== undefined ? { licenseRequestUrl } : {}),
          },
        }
      : {}),
    activationIntervalMinutes: positiveNumber(node, contextKeys.activationIntervalMinutes, defaultConfig.activationIntervalMinutes, true, true),
    scim: scimSettings(node),
    ...syncSettings(node),
    groupsClaim: text(node, contextKeys.groupsClaim) ?? defaultConfig.groupsClaim,
    throttle: {
      rateLimit: positiveNumber(node, contextKeys.throttleRateLimit, defaultConfig.throttle.rateLimit, false),
      burstLimit: positiveNumber(node, contextKeys.throttleBurstLimit, defaultConfig.throttle.burstLimit, true),
    },
    logLevel: logLevel as LogLevel,
    logRetention: retentionDays as RetentionDays,
  };
}
