/**
 * The licence waiting list as people administrators page through it: area by
 * area (primary first), each oldest first, with each user's position in its
 * area's list at the time of reading.
 */
import { encodeCursor } from '#commons/cursors.ts';
import { areasToRead, decodePosition, pageOfAreas, type PagePosition } from './areaIndex.ts';
import { readAreas } from './seatCounter.ts';
import { WAITING_PREFIX, fromItem, type User, type UserSource } from './user.ts';

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

/** Where the next page starts, and the position its first entry has in its area's list. */
interface Cursor extends PagePosition {
  position: number;
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

export async function waitingListPage(query: {
  area?: string;
  limit: number;
  cursor?: string;
}): Promise<{ items: WaitingEntry[]; nextCursor: string | null }> {
  const listing = `pending?area=${query.area ?? ''}`;
  const cursor = query.cursor ? decodePosition<Cursor>(query.cursor, listing, (c) => Number.isInteger(c.position)) : undefined;
  // The counters say which areas have anyone waiting.
  const areas = query.area
    ? await areasToRead(query.area)
    : (await readAreas()).filter((a) => a.pending > 0 || a.area === cursor?.area).map((a) => a.area);
  const { items, next } = await pageOfAreas(areas, { prefix: WAITING_PREFIX }, query.limit, cursor);

  // Positions count from the cursor's inside its area, from 1 in every other.
  let area = cursor?.area;
  let position = cursor?.position ?? 1;
  const entries = items.map((item) => {
    const { user } = fromItem(item);
    if (user.area !== area) [area, position] = [user.area, 1];
    return entry(user, position++);
  });
  const nextPosition = next && next.area === area ? position : 1;
  return { items: entries, nextCursor: next ? encodeCursor({ ...next, position: nextPosition }, listing) : null };
}
