/** A user as core holds it, for the tests of pure rules: an active, non-exempt API user in primary, with `fields` on top. */
import type { User } from '#core/user.ts';

export const aUser = (fields: Partial<User> = {}): User => ({
  id: 'u1',
  email: 'a@example.com',
  name: '',
  area: 'primary',
  state: 'active',
  exempt: false,
  roles: [],
  source: 'api',
  createdAt: 't',
  updatedAt: 't',
  ...fields,
});
