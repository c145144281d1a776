/**
 * Where a directory's unfiltered SCIM page ended, so that its next page (the
 * one Okta's "Import users" asks for next) reads on from there instead of
 * walking every user again: a full import costs one walk, not one per page.
 *
 * Kept in the jobs table (`pk = "scimPage#<directory>"`, `sk = <next startIndex>`),
 * not in the instance's memory: API Gateway may send the next page to any
 * Lambda instance. A continuation serves for a minute after its page; after
 * that the list may have moved on and a walk counts it afresh (the table's TTL
 * removes the item later).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import type { PagePosition } from '#core/areaIndex.ts';
import { tableName } from '#core/tables.ts';

interface Continuation {
  position: PagePosition;
  /** The first page's count, kept so that every page of one walk says the same. */
  totalResults: number;
}

const CONTINUATION_SECONDS = 60;
const continuationKey = (directory: string, startIndex: number) => ({ pk: `scimPage#${directory}`, sk: String(startIndex) });

/** The continuation for the page of `directory` that starts at `startIndex`, if one is fresh. */
export async function continuationAt(directory: string, startIndex: number): Promise<Continuation | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName('jobs'), Key: continuationKey(directory, startIndex), ConsistentRead: true }),
  );
  if (!Item || (Item.expiresAt as number) * 1000 <= Date.now()) return undefined;
  return { position: Item.position as PagePosition, totalResults: Item.totalResults as number };
}

/** Keeps where the page of `directory` that starts at `startIndex` begins. */
export async function keepContinuation(directory: string, startIndex: number, continuation: Continuation): Promise<void> {
  const expiresAt = Math.floor(Date.now() / 1000) + CONTINUATION_SECONDS;
  await documentClient.send(
    new PutCommand({ TableName: tableName('jobs'), Item: { ...continuationKey(directory, startIndex), ...continuation, expiresAt } }),
  );
}
