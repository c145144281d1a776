/**
 * The turn marker of a directory's sync runs in the jobs table (pk "sync#<directory>",
 * sk "latest"): which run may apply its file now. See takeDirectoryTurn.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { findJob } from '#core/importJobRecord.ts';
import { tableName } from '#core/tables.ts';

/** Where a sync run stands with its directory's other runs: whose turn it is. */
export type DirectoryTurn = { state: 'mine' } | { state: 'superseded' } | { state: 'busy'; jobId: string };

/**
 * Sync files of one directory apply one at a time, and never an older one after a newer one: S3 may
 * deliver an older file's event late, or two files' events at once. The directory's marker names the
 * newest file started (its job and lastModified). A run takes the marker when its file is at least as
 * new and the run named there has ended (its job no longer running with a live lease: a crashed run's
 * lease runs out); it is `busy` while that run goes on, and `superseded` once a newer file holds it.
 */
export async function takeDirectoryTurn(directory: string, lastModified: string, jobId: string): Promise<DirectoryTurn> {
  const Key = { pk: `sync#${directory}`, sk: 'latest' };
  for (;;) {
    const { Item: marker } = await documentClient.send(new GetCommand({ TableName: tableName('jobs'), Key, ConsistentRead: true }));
    const holder = marker?.jobId as string | undefined;
    if (holder !== undefined && holder !== jobId) {
      if (String(marker!.lastModified) > lastModified) return { state: 'superseded' };
      if ((await findJob(holder))?.status === 'running') return { state: 'busy', jobId: holder };
    }
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName('jobs'),
          Key,
          UpdateExpression: 'SET lastModified = :lastModified, jobId = :jobId',
          // Only over the marker as read: another run that took it meanwhile is read again.
          ConditionExpression: 'attribute_not_exists(pk) OR jobId = :holder',
          ExpressionAttributeValues: { ':lastModified': lastModified, ':jobId': jobId, ':holder': holder ?? '' },
        }),
      );
      return { state: 'mine' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
