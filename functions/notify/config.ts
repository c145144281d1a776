/** The notifier's settings, from its environment. Read per invocation, so a changed setting needs no code. */
import { logger } from '#commons/logger.ts';
import { isEmailAddress } from '#core/emailAddress.ts';

export interface AlertConfig {
  /** From address; must be a verified SES identity in AWS. */
  sender: string;
  /** Addresses that receive every alert besides the People administrators. */
  extraRecipients: string[];
  /** Early warning when active reaches this share of the limit (0 < share ≤ 1). */
  warningShare: number;
  /** Where to ask for more licences (http(s) or mailto link); without it the email names the licence administrator. */
  licenseRequestUrl?: string;
  /** While refusals keep coming in a full area, at most one reminder per this many hours. */
  reminderIntervalHours: number;
}

/** The notifier's Lambda timeout (the manifest deploys it with this timeout); delivery claims lapse just after it. */
export const NOTIFY_TIMEOUT_MS = 60_000;

const DEFAULT_WARNING_SHARE = 0.9;
const REMINDER_INTERVAL_HOURS = 24;
/** Locally (SES_ENDPOINT set) the emulator accepts any sender. */
const LOCAL_SENDER = 'seatkeeper@localhost';

export class AlertConfigError extends Error {
  constructor(message: string) {
    super(`Alert configuration: ${message}`);
    this.name = 'AlertConfigError';
  }
}

/** "0.9" or "90%". `name`: the setting, as the person who set it knows it (the stack checks its context with these too). */
export function parseShare(text: string | undefined, name = 'ALERT_WARNING_SHARE'): number {
  if (text === undefined || text.trim() === '') return DEFAULT_WARNING_SHARE;
  const trimmed = text.trim();
  const share = trimmed.endsWith('%') ? Number(trimmed.slice(0, -1)) / 100 : Number(trimmed);
  if (!Number.isFinite(share) || share <= 0 || share > 1) {
    throw new AlertConfigError(`${name} must be a share of the limit such as 0.9 or 90%, not '${text}'.`);
  }
  return share;
}

export function parseLink(text: string | undefined, name = 'LICENSE_REQUEST_URL'): string | undefined {
  if (!text?.trim()) return undefined;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new AlertConfigError(`${name} is not a URL: '${text}'.`);
  }
  // Only links a mail client opens safely; never javascript: or data:.
  if (!['https:', 'http:', 'mailto:'].includes(url.protocol)) {
    throw new AlertConfigError(`${name} must be an https:, http: or mailto: link, not '${text}'.`);
  }
  return url.toString();
}

/** ALERT_EMAILS as last parsed: a bad entry is warned about once per value (on Lambda, once per cold start), not every batch. */
let parsedAlertEmails: { text: string; addresses: string[] } | undefined;

/** ALERT_EMAILS' entries (separated by commas, semicolons or spaces): the addresses, and the 1-based positions and text of the others. */
export function splitAlertEmails(text: string): { addresses: string[]; bad: { entry: number; text: string }[] } {
  const addresses: string[] = [];
  const bad: { entry: number; text: string }[] = [];
  text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .forEach((entry, index) => (isEmailAddress(entry) ? addresses.push(entry) : bad.push({ entry: index + 1, text: entry })));
  return { addresses, bad };
}

function parseAlertEmails(text = ''): string[] {
  if (parsedAlertEmails?.text === text) return parsedAlertEmails.addresses;
  const { addresses, bad } = splitAlertEmails(text);
  // The entry itself is not logged: it may be a person's address.
  for (const { entry } of bad) logger.warn('ALERT_EMAILS entry is not an email address; skipped', { entry });
  parsedAlertEmails = { text, addresses };
  return addresses;
}

export function alertConfig(env: NodeJS.ProcessEnv = process.env): AlertConfig {
  const sender = env.ALERT_SENDER?.trim() || (env.SES_ENDPOINT ? LOCAL_SENDER : '');
  if (!sender) throw new AlertConfigError('ALERT_SENDER is not set (the verified SES address alerts are sent from).');
  return {
    sender,
    extraRecipients: parseAlertEmails(env.ALERT_EMAILS),
    warningShare: parseShare(env.ALERT_WARNING_SHARE),
    licenseRequestUrl: parseLink(env.LICENSE_REQUEST_URL),
    reminderIntervalHours: REMINDER_INTERVAL_HOURS,
  };
}
