/** Who receives limit alerts: every active People administrator, plus the addresses configured in ALERT_EMAILS. */
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { allItems } from '#commons/paging.ts';
import { PEOPLE_ADMINS_INDEX, tableName } from '#core/tables.ts';
import { emailKey } from '#core/user.ts';

export interface Recipient {
  address: string;
  /** What logs may say about the recipient: a user id, or the position in ALERT_EMAILS. */
  label: string;
}

/** Reads the sparse `peopleAdmins` index: only users holding the role are in it, so this never reads other users. */
async function activePeopleAdmins(): Promise<Recipient[]> {
  const items = await allItems(
    paginateQuery(
      { client: documentClient },
      {
        TableName: tableName('users'),
        IndexName: PEOPLE_ADMINS_INDEX,
        KeyConditionExpression: 'peopleAdmin = :yes',
        FilterExpression: '#state = :active',
        ProjectionExpression: 'id, email',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':yes': 'Y', ':active': 'active' },
      },
    ),
  );
  return items.flatMap((item) =>
    typeof item.email === 'string' && typeof item.id === 'string' ? [{ address: item.email, label: `user:${item.id}` }] : [],
  );
}

/** One entry per address (case-insensitively): an admin also listed in ALERT_EMAILS gets one message. */
export async function alertRecipients(extraRecipients: readonly string[]): Promise<Recipient[]> {
  const all = [...(await activePeopleAdmins()), ...extraRecipients.map((address, i) => ({ address, label: `ALERT_EMAILS#${i + 1}` }))];
  const seen = new Set<string>();
  return all.filter(({ address }) => {
    const key = emailKey(address);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
