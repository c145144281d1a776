/**
 * Which users a directory (a SCIM token, a sync's directory name) may see and change, as a
 * test of one user and as a filter on the area index: one rule, written twice side by side
 * because DynamoDB filters in its own language.
 */
import type { User } from './user.ts';

/**
 * Whether a directory (a SCIM token) may see and change `user`: its own accounts, and those no
 * directory manages (made through the API or a CSV upload), which its first write takes over.
 * Never an exempt one (support profile, built-in administrator): a directory that deactivated it
 * would lock the intranet's own administrators out.
 */
export const directoryMayManage = (user: Pick<User, 'directory' | 'exempt'>, directory: string) =>
  user.directory === directory || (user.directory === undefined && !user.exempt);

/**
 * Whether a directory's change of `before` into `after` (null: deleted) is one it may make. It may
 * never deactivate or delete an exempt account it manages (one a licence admin made exempt after
 * the directory provisioned it): the support or administrator profile must not be lost to a
 * directory. Other edits (name, email, area) stay the directory's, and a block that is no change
 * (the account is already blocked) takes nothing away.
 */
export const directoryMayChange = (before: User, after: User | null) =>
  !before.exempt || (after !== null && (after.state === 'active' || before.state === 'blocked'));

/**
 * directoryMayManage as a filter on the area index (areaIndex.ts AreaQuery): every user
 * `directory` sees. There is no index by directory; providers list without a key only for
 * full imports (Okta's "Import users"), their routine lookups are by userName or id.
 */
export const visibleTo = (directory: string) => ({
  expression: '#directory = :directory OR (attribute_not_exists(#directory) AND #exempt = :false)',
  names: { '#directory': 'directory', '#exempt': 'exempt' },
  values: { ':directory': directory, ':false': false },
});
