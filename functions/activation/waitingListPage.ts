/**
 * The licence waiting list as people administrators page through it: area by
 * area (primary first), each oldest first, with each user's position in its
 * area's list at the time of reading.
 */
import { invalidRequest } from '#core/errors.ts';
import { readAreas } from '#core/seatCounter.ts';
import { listWaiting } from '#core/waitingList.ts';
import type { User, UserSource } from '#core/user.ts';

export interface WaitingEntry {
  area: string;
  /** 1 = next to get a seat in its area. */
  position: number;
  /** When the user joined the list. */
  since: string;
  userId: string;
  email: string;
  name: string;
  source: UserSource;
  directory?: string;
}

/** Where the next page starts: an area, DynamoDB's key inside it, and the position of the next entry. */
interface Cursor {
  area: string;
  key?: Record<string, unknown>;
  position: number;
}

const encode = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decode(text: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (typeof cursor.area === 'string' && Number.isInteger(cursor.position) && (cursor.key === undefined || typeof cursor.key === 'object')) return cursor;
  } catch {
    // fall through to the same error as a well-formed but foreign cursor
  }
  throw invalidRequest('The cursor is not one this API returned. Start again without a cursor.', { field: 'cursor' });
}

const entry = (user: User, position: number): WaitingEntry => ({
  area: user.area,
  position,
  since: user.pendingSince ?? user.updatedAt,
  userId: user.id,
  email: user.email,
  name: user.name,
  source: user.source,
  ...(user.directory ? { directory: user.directory } : {}),
});

export async function waitingListPage(query: { area?: string; limit: number; cursor?: string }): Promise<{ items: WaitingEntry[]; nextCursor: string | null }> {
  const cursor = query.cursor ? decode(query.cursor) : undefined;
  if (cursor && query.area && cursor.area !== query.area) throw invalidRequest('The cursor belongs to a different query. Start again without a cursor.');
  // The counters say which areas have anyone waiting; an unknown area is listWaiting's 404.
  const areas = query.area ? [query.area] : (await readAreas()).filter((a) => a.pending > 0 || a.area === cursor?.area).map((a) => a.area);
  const startAt = cursor ? areas.indexOf(cursor.area) : 0;
  if (startAt < 0) throw invalidRequest('The cursor belongs to a different query. Start again without a cursor.');

  const items: WaitingEntry[] = [];
  for (let i = startAt; i < areas.length; i++) {
    const area = areas[i]!;
    let key = i === startAt ? cursor?.key : undefined;
    let position = i === startAt && cursor ? cursor.position : 1;
    do {
      const page = await listWaiting(area, { limit: query.limit - items.length, startKey: key });
      for (const user of page.users) items.push(entry(user, position++));
      key = page.nextKey;
      if (items.length === query.limit) {
        // Only hand out a cursor that leads somewhere: peek past a full page.
        if (key && (await listWaiting(area, { limit: 1, startKey: key })).users.length > 0) {
          return { items, nextCursor: encode({ area, key, position }) };
        }
        const next = areas[i + 1];
        return { items, nextCursor: next ? encode({ area: next, position: 1 }) : null };
      }
    } while (key);
  }
  return { items, nextCursor: null };
}
