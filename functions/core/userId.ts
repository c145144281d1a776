import { randomBytes } from 'node:crypto';

/** The longest id a path may hold (user and SCIM token ids are 36-character UUIDs): anything longer is no id of ours. */
export const MAX_ID_LENGTH = 100;

let lastMs = 0;
let sequence = 0;

/**
 * UUIDv7 (RFC 9562) with a 12-bit sequence in rand_a, so ids made by one
 * process are strictly increasing. Rows of one CSV file written in the same
 * millisecond keep their file order on the licence waiting list.
 */
export function newUserId(now = Date.now()): string {
  if (now <= lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
    }
  } else {
    lastMs = now;
    sequence = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** When a UUIDv7 id was made (ms since the epoch): its first 48 bits. */
export function userIdTime(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}
