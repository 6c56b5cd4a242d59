import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyTable, Database, DbTransaction, Role, SessionTable, UserTable } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/index.js';
import { holdOrg } from '../../db/hold-org.js';
import { afterCursor } from '../../db/keyset.js';
import { AppError } from '../../shared/errors.js';
import type { Actor } from './roles.js';
import type { CursorKey } from '../../shared/pagination.js';

type Db = Kysely<Database> | DbTransaction;

export class AuthRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (trx: DbTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  // API keys
  async insertApiKey(row: Selectable<ApiKeyTable>, trx: Db = this.db): Promise<void> {
    await trx.insertInto('api_keys').values(row).execute();
  }
  findActiveApiKeyByHash(hash: string) {
    return this.db
      .selectFrom('api_keys')
      .innerJoin('orgs', 'orgs.id', 'api_keys.org_id')
      .select(['api_keys.id', 'api_keys.org_id', 'api_keys.role', 'api_keys.prefix', 'api_keys.name', 'api_keys.last_used_at'])
      .where('api_keys.key_hash', '=', hash)
      .where('api_keys.revoked_at', 'is', null)
      .executeTakeFirst();
  }
  async touchApiKey(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
  /** Newest first, `limit + 1` rows from after the cursor. */
  listApiKeys(orgId: string, after: CursorKey | undefined, limit: number) {
    let q = this.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'prefix', 'role', 'created_by', 'created_by_user', 'created_at', 'last_used_at', 'revoked_at'])
      .where('org_id', '=', orgId);
    if (after) q = q.where(afterCursor('created_at', 'id', after));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  }
  findApiKey(orgId: string, id: string) {
    return this.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'prefix', 'role', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }
  async apiKeyOwner(orgId: string, id: string): Promise<string | null> {
    const r = await this.db.selectFrom('api_keys').select('created_by_user').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return r?.created_by_user ?? null;
  }
  /** Revokes the live keys made on this user's authority (only those with one of `onlyRoles` when given); returns their ids. */
  async revokeKeysOfUser(orgId: string, userId: string, at: number, onlyRoles?: Role[]): Promise<string[]> {
    if (onlyRoles && !onlyRoles.length) return [];
    let q = this.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('org_id', '=', orgId)
      .where('created_by_user', '=', userId)
      .where('revoked_at', 'is', null);
    if (onlyRoles) q = q.where('role', 'in', onlyRoles);
    return (await q.returning('id').execute()).map((r) => r.id);
  }
  async revokeApiKey(orgId: string, id: string, at: number, trx: Db = this.db): Promise<boolean> {
    const r = await trx
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  // Users
  async insertUser(row: Selectable<UserTable>, trx: Db = this.db): Promise<void> {
    try {
      await trx.insertInto('users').values(row).execute();
    } catch (err) {
      // Unique per org only: another org using the address is never an error, so never a hint.
      if (isUniqueViolation(err)) throw AppError.conflict('A user with this email already exists in your organization', [{ path: 'body/email', message: 'already in use' }]);
      throw err;
    }
  }
  /** Unscoped on purpose: login knows an email, not an org. At most `max` accounts, with their org's name. */
  findUsersByEmail(email: string, orgId: string | undefined, max: number) {
    let q = this.db
      .selectFrom('users')
      .innerJoin('orgs', 'orgs.id', 'users.org_id')
      .selectAll('users')
      .select('orgs.name as org_name')
      .where('users.email', '=', email);
    if (orgId !== undefined) q = q.where('users.org_id', '=', orgId);
    return q.orderBy('users.created_at', 'asc').limit(max).execute();
  }
  findUser(orgId: string, id: string, trx: Db = this.db) {
    return trx.selectFrom('users').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }
  /** Oldest first (the owner who made the org leads), `limit + 1` rows from after the cursor. */
  listUsers(orgId: string, after: CursorKey | undefined, limit: number) {
    let q = this.db.selectFrom('users').selectAll().where('org_id', '=', orgId);
    if (after) q = q.where(afterCursor('created_at', 'id', after, 'asc'));
    return q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit + 1).execute();
  }
  async updateUser(orgId: string, id: string, patch: Partial<Pick<UserTable, 'name' | 'role' | 'password_hash' | 'disabled_at'>>, trx: Db = this.db) {
    await trx.updateTable('users').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
  }
  /**
   * Every change that may take an owner away holds the org first (holdOrg), so they run one after
   * the other and each counts the owners the one before it left. An API key's rotation takes it
   * first too (HeldAuthority.onHeldAuthority), so two keys rotating each other queue.
   */
  lockForOwnerChange(trx: DbTransaction, orgId: string): Promise<void> {
    return holdOrg(trx, orgId);
  }
  /**
   * Holds the user's row for the transaction if the user is enabled and has one of `roles`; false
   * otherwise. A demotion or disabling waits for what the transaction makes on that authority.
   */
  async holdAuthority(trx: DbTransaction, orgId: string, id: string, roles: readonly Role[]): Promise<boolean> {
    const r = await trx
      .updateTable('users')
      .set((eb) => ({ role: eb.ref('role') }))
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('disabled_at', 'is', null)
      .where('role', 'in', roles)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  /**
   * Holds, for the transaction, the API key or session the actor came with if it is still live;
   * false otherwise. Its revocation waits for what the transaction makes on it, or committed first.
   * Actors with neither (the CLI, the system) hold nothing.
   */
  async holdCredential(trx: DbTransaction, actor: Actor, now: number): Promise<boolean> {
    if (actor.type === 'api_key' && actor.id) {
      const r = await trx.updateTable('api_keys').set((eb) => ({ revoked_at: eb.ref('revoked_at') })).where('org_id', '=', actor.orgId).where('id', '=', actor.id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    }
    if (actor.sessionId) {
      const r = await trx
        .updateTable('sessions')
        .set((eb) => ({ revoked_at: eb.ref('revoked_at') }))
        .where('org_id', '=', actor.orgId)
        .where('id', '=', actor.sessionId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    }
    return true;
  }
  async countOwners(orgId: string, trx: Db = this.db): Promise<number> {
    const r = await trx
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('role', '=', 'owner')
      .where('disabled_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async deleteUser(orgId: string, id: string, trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('users').where('org_id', '=', orgId).where('id', '=', id).execute();
  }

  // Sessions
  async insertSession(row: Selectable<SessionTable>, trx: Db = this.db): Promise<void> {
    await trx.insertInto('sessions').values(row).execute();
  }
  /**
   * Holds the user's row for the transaction if the account is still as sign-in checked it: this
   * password hash (replaced by `rehash` when given) and enabled; false otherwise. A password
   * change, or disabling, then either waits for the session opened under it (and ends it after)
   * or has committed first and the session is refused.
   */
  async holdUserAsChecked(trx: DbTransaction, orgId: string, id: string, checkedHash: string, rehash: string | null): Promise<boolean> {
    const r = await trx
      .updateTable('users')
      .set((eb) => ({ password_hash: rehash ?? eb.ref('password_hash') }))
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('password_hash', '=', checkedHash)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  findLiveSession(id: string, now: number) {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id',
        'sessions.org_id',
        'sessions.user_id',
        'sessions.csrf_token',
        'sessions.expires_at',
        'sessions.last_seen_at',
        'users.email',
        'users.name',
        'users.role',
      ])
      .where('sessions.id', '=', id)
      .where('sessions.revoked_at', 'is', null)
      .where('sessions.expires_at', '>', now)
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
  }
  async touchSession(id: string, at: number): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
  }
  async revokeSession(id: string, at: number): Promise<void> {
    await this.db.updateTable('sessions').set({ revoked_at: at }).where('id', '=', id).execute();
  }
  async revokeUserSessions(orgId: string, userId: string, at: number): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }
  /**
   * Live sessions, newest first. The cursor carries only the 16 characters of the id the API
   * shows: ids are the hashes of cookie tokens, and a prefix orders them the same way.
   */
  listUserSessions(orgId: string, userId: string, now: number, after: CursorKey | undefined, limit: number) {
    let q = this.db
      .selectFrom('sessions')
      .select(['id', 'created_at', 'expires_at', 'last_seen_at'])
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now);
    if (after) q = q.where(afterCursor('created_at', 'id', after));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  }
}
