/** npm run token -- people-admin license-admin  → prints a bearer token the local server accepts. */
import { ROLES } from '#core/roles.ts';
import { localSecret, signLocalToken } from './localAuth.ts';

const groups = process.argv.slice(2);
const known: readonly string[] = Object.keys(ROLES);
if (groups.length === 0) {
  console.error(`usage: npm run token -- <group>...   (groups: ${known.join(', ')})`);
  process.exit(2);
}
const unknown = groups.filter((group) => !known.includes(group));
if (unknown.length) console.error(`note: ${unknown.join(', ')} is not a group Seatkeeper checks (${known.join(', ')})`);
console.log(await signLocalToken(localSecret(), groups));
