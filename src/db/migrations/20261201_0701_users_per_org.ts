// Users belong to one org: an email is unique within its org, not across orgs, so adding a user
// never tells an org that the address is registered somewhere else. Login finds every account
// with the email and keeps those whose password matches (auth.service.ts).
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';
import { relaxUniqueColumn } from '../relax-unique.js';

export const usersPerOrg = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await relaxUniqueColumn(db, dialect, 'users', 'email', { name: 'users_org_email', columns: ['org_id', 'email'] });
    // Login looks users up by email alone.
    await db.schema.createIndex('users_email').on('users').column('email').execute();
  },
});
