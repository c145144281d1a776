/**
 * Long-lived bearer tokens for identity providers, one or more per directory,
 * kept in the jobs table as `pk = "scimToken#<id>"`, `sk = "scimToken"`, with
 * `kind = "scimToken"` so the sparse byKind index lists them.
 *
 * Only a SHA-256 hash of a token is stored. A token is 256 random bits, so a
 * fast hash is enough: nobody can search 2^256 candidates, whatever the hash
 * costs. bcrypt/scrypt/argon2 exist to slow down guessing *low-entropy
 * passwords*; here they would only add ~100 ms and a native dependency to
 * every authorizer call (and bcrypt reads just 72 bytes of input).
 *
 * The token carries its id (`skscim_<id>_<secret>`), so checking one is one
 * GetItem by key, and comparing the hash takes constant time.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { allItems } from '#commons/paging.ts';
import { scimTokenNotFound } from './errors.ts';
import { JOBS_BY_KIND_INDEX, tableName } from './tables.ts';

const KIND = 'scimToken';
const TOKEN_FORMAT = /^skscim_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
/** Writing lastUsedAt on every check would cost a write per request; once an hour says enough. */
const LAST_USED_RESOLUTION_MS = 60 * 60 * 1000;

/** What an administrator sees of a token; never the secret or its hash. */
export interface ScimToken {
  id: string;
  directory: string;
  description?: string;
  createdAt: string;
  /** The `sub` of the licence administrator who created it. */
  createdBy?: string;
  lastUsedAt?: string;
}

const tokenKey = (id: string) => ({ pk: `${KIND}#${id}`, sk: KIND });
const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** The token as an administrator sees it, field by field, so the hash never leaves the table. */
function toScimToken(item: Record<string, unknown>): ScimToken {
  const stored = item as unknown as ScimToken;
  return {
    id: stored.id,
    directory: stored.directory,
    ...(stored.description ? { description: stored.description } : {}),
    createdAt: stored.createdAt,
    ...(stored.createdBy ? { createdBy: stored.createdBy } : {}),
    ...(stored.lastUsedAt ? { lastUsedAt: stored.lastUsedAt } : {}),
  };
}

/** Creates a token for `directory`; the secret is returned here and never again. */
export async function issueScimToken(input: {
  directory: string;
  description?: string;
  createdBy?: string;
}): Promise<{ token: ScimToken; secret: string }> {
  const id = randomUUID();
  const secret = `skscim_${id}_${randomBytes(32).toString('base64url')}`;
  const token: ScimToken = {
    id,
    directory: input.directory,
    ...(input.description ? { description: input.description } : {}),
    createdAt: new Date().toISOString(),
    ...(input.createdBy ? { createdBy: input.createdBy } : {}),
  };
  await documentClient.send(
    new PutCommand({
      TableName: tableName('jobs'),
      Item: { ...tokenKey(id), kind: KIND, ...token, tokenHash: hashOf(secret).toString('hex') },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return { token, secret };
}

/** Every token, newest first. A handful per directory: one query reads them all. */
export async function listScimTokens(): Promise<ScimToken[]> {
  const items = await allItems(
    paginateQuery(
      { client: documentClient },
      {
        TableName: tableName('jobs'),
        IndexName: JOBS_BY_KIND_INDEX,
        KeyConditionExpression: 'kind = :kind',
        ExpressionAttributeValues: { ':kind': KIND },
        ScanIndexForward: false,
      },
    ),
  );
  return items.map(toScimToken);
}

/** Revokes a token at once for new authorizer checks (cached checks expire within the authorizer's TTL). */
export async function revokeScimToken(id: string): Promise<void> {
  try {
    await documentClient.send(
      new DeleteCommand({ TableName: tableName('jobs'), Key: tokenKey(id), ConditionExpression: 'attribute_exists(pk)' }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw scimTokenNotFound(id);
    throw error;
  }
}

/** The token `presented` is, if it is a live one. */
export async function verifyScimToken(presented: string): Promise<ScimToken | undefined> {
  const id = TOKEN_FORMAT.exec(presented)?.[1];
  if (!id) return undefined;
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName('jobs'), Key: tokenKey(id), ConsistentRead: true }));
  if (!Item || typeof Item.tokenHash !== 'string') return undefined;
  const stored = Buffer.from(Item.tokenHash, 'hex');
  const given = hashOf(presented);
  if (stored.length !== given.length || !timingSafeEqual(stored, given)) return undefined;
  const token = toScimToken(Item);
  await recordUse(token);
  return token;
}

/** Best effort: lets an administrator see which tokens are still in use before revoking one. */
async function recordUse(token: ScimToken): Promise<void> {
  const now = Date.now();
  if (token.lastUsedAt && now - Date.parse(token.lastUsedAt) < LAST_USED_RESOLUTION_MS) return;
  await documentClient
    .send(
      new UpdateCommand({
        TableName: tableName('jobs'),
        Key: tokenKey(token.id),
        UpdateExpression: 'SET lastUsedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale)',
        ExpressionAttributeValues: { ':now': new Date(now).toISOString(), ':stale': new Date(now - LAST_USED_RESOLUTION_MS).toISOString() },
      }),
    )
    .catch(() => undefined);
}
