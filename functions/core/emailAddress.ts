/**
 * What Seatkeeper accepts as an email address, for every path (API, CSV, SCIM, alert recipients).
 * Pure: the notifier and the stack read it without loading any AWS client.
 */

/**
 * RFC 5322 dot-atom addresses in ASCII (so `o'brien@`, `a&b@`, `a/b@` pass), at a domain with a
 * top-level name. Lower-casing such an address is exact, which case-insensitive uniqueness needs.
 */
export const EMAIL_PATTERN =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/;

export const MAX_EMAIL_LENGTH = 254;

/** An Entra ID guest's user principal name (alice_contoso.com#EXT#@tenant.onmicrosoft.com): valid syntax, but no mail reaches it. */
export const isGuestPrincipalName = (address: string) => /#EXT#@/i.test(address);

export const isEmailAddress = (text: string) => text.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(text) && !isGuestPrincipalName(text);
