/**
 * The alert emails: subject, plain-text part and HTML part (a small table of
 * the area's counters with a usage bar). Everything interpolated into HTML is escaped.
 */
import type { AreaSeats } from '#core/seatCounter.ts';
import type { AlertKind } from './alertRules.ts';

export interface AlertEmail {
  subject: string;
  text: string;
  html: string;
}

export interface AlertEmailOptions {
  licenseRequestUrl?: string;
  /** About when the change happened (the counters shown are as of then); the stream dates changes approximately. */
  at: Date;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** Share of the limit in use, 0-100, rounded down: 100% only when full (199 of 200 is 99%). A limit of 0 counts as fully used. */
const usagePercent = (seats: AreaSeats) => (seats.limit > 0 ? Math.min(100, Math.floor((seats.active / seats.limit) * 100)) : 100);

function headline(kind: AlertKind, s: AreaSeats): { subject: string; lead: string } {
  const area = `"${s.area}"`;
  switch (kind) {
    case 'full':
      return {
        subject: `Seatkeeper: area ${area} has reached its licence limit (${s.active} of ${s.limit})`,
        lead:
          `Area ${area} has no free seat: all ${plural(s.limit, 'licence')} are in use. New accounts in this area are refused, ` +
          `and accounts arriving from directory sync wait for a seat until one is free.`,
      };
    case 'warning':
      return {
        subject: `Seatkeeper: area ${area} is at ${usagePercent(s)}% of its licence limit (${s.active} of ${s.limit})`,
        lead: `Area ${area} uses ${s.active} of its ${plural(s.limit, 'licence')} (${usagePercent(s)}%). ${plural(s.available, 'seat')} left before new accounts are refused.`,
      };
    case 'pending':
      return {
        subject: `Seatkeeper: ${plural(s.pending, 'directory user')} waiting for a licence in area ${area}`,
        lead:
          `${plural(s.pending, 'account')} from directory sync ${s.pending === 1 ? 'is' : 'are'} waiting for a seat in area ${area}. ` +
          `Waiting accounts are activated in arrival order once seats are free: by their directory's next sync run, or by the scheduled activation run.`,
      };
    case 'reminder':
      return {
        subject: `Seatkeeper reminder: area ${area} is still full, ${plural(s.refused, 'account creation')} refused`,
        lead: `Area ${area} is still full. Since it filled up, ${plural(s.refused, 'account creation')} ${s.refused === 1 ? 'was' : 'were'} refused for lack of a seat.`,
      };
  }
}

function actions(licenseRequestUrl: string | undefined): { text: string[]; html: string[] } {
  const free = 'Block or delete accounts that no longer need access: each frees a seat at once.';
  const more = licenseRequestUrl
    ? { text: `Request more licences: ${licenseRequestUrl}`, html: `<a href="${escapeHtml(licenseRequestUrl)}">Request more licences</a>.` }
    : {
        text: 'Ask a licence administrator for more licences (a higher limit for the area, or seats moved from another area).',
        html: 'Ask a licence administrator for more licences (a higher limit for the area, or seats moved from another area).',
      };
  return { text: [free, more.text], html: [escapeHtml(free), more.html] };
}

const rows = (s: AreaSeats): [string, number][] => [
  ['Limit', s.limit],
  ['Active (seats in use)', s.active],
  ['Free seats', s.available],
  ['Blocked', s.blocked],
  ['Waiting for a licence (pending)', s.pending],
  ['Exempt (take no seat)', s.exempt],
  // Refusals start only once the area is full, so the limit alert itself would always say 0; reminders say more.
  ...(s.refused > 0 ? [['Creations refused while full', s.refused] as [string, number]] : []),
];

const barColour = (s: AreaSeats) => (s.limit > 0 && s.active < s.limit ? (usagePercent(s) >= 90 ? '#b45309' : '#15803d') : '#b91c1c');

function usageBarHtml(s: AreaSeats): string {
  const used = usagePercent(s);
  const cell = (width: number, colour: string) =>
    `<td style="width:${width}%;height:12px;background:${colour};font-size:0;line-height:0">&nbsp;</td>`;
  const cells = [used > 0 ? cell(used, barColour(s)) : '', used < 100 ? cell(100 - used, '#e5e7eb') : ''].join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:4px 0 8px"><tr>${cells}</tr></table>`;
}

function areaTableHtml(s: AreaSeats): string {
  const body = rows(s)
    .map(
      ([label, value]) =>
        `<tr><td style="padding:2px 16px 2px 0;color:#374151">${escapeHtml(label)}</td><td style="padding:2px 0;text-align:right"><b>${value}</b></td></tr>`,
    )
    .join('');
  return (
    `<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;min-width:320px;margin:12px 0">` +
    `<tr><th colspan="2" style="text-align:left;padding-bottom:4px">Area ${escapeHtml(s.area)} — ${usagePercent(s)}% of the limit in use</th></tr>` +
    `<tr><td colspan="2">${usageBarHtml(s)}</td></tr>${body}</table>`
  );
}

function usageBarText(s: AreaSeats): string {
  const filled = Math.floor(usagePercent(s) / 5);
  return `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${usagePercent(s)}%`;
}

export function alertEmail(kind: AlertKind, seats: AreaSeats, options: AlertEmailOptions): AlertEmail {
  const { subject, lead } = headline(kind, seats);
  const todo = actions(options.licenseRequestUrl);
  const footer =
    `Sent by Seatkeeper to People administrators and the addresses configured for alerts; figures as of about ${options.at.toISOString().replace(/\.\d{3}Z$/, 'Z')}. ` +
    'Each threshold alerts once when it is reached, and again only after usage has fallen below it.';
  const width = Math.max(...rows(seats).map(([label]) => label.length));
  const text = [
    lead,
    '',
    `Area ${seats.area}  ${usageBarText(seats)}`,
    ...rows(seats).map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    '',
    'What to do:',
    ...todo.text.map((line) => `- ${line}`),
    '',
    footer,
    '',
  ].join('\n');
  const html =
    `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#111827">` +
    `<p>${escapeHtml(lead)}</p>${areaTableHtml(seats)}` +
    `<p><b>What to do</b></p><ul>${todo.html.map((line) => `<li>${line}</li>`).join('')}</ul>` +
    `<p style="color:#6b7280;font-size:12px">${escapeHtml(footer)}</p></body></html>`;
  return { subject, text, html };
}
