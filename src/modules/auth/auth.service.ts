// API keys, users and browser sessions. Secrets are shown once and stored only as hashes.
import { storeProblem } from '../../db/health.js';
import type { DbTransaction, Role } from '../../db/schema.js';
import { HeldAuthority } from './held-authority.js';
import { AppError } from '../../shared/errors.js';
import { hashToken, newId, randomToken } from '../../shared/ids.js';
import { decodeCursor, page } from '../../shared/pagination.js';
import { mintSecret } from '../../shared/secrets.js';
import { nowMs, toIso } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import type { AuthRepository } from './auth.repository.js';
import { LoginThrottle } from './login-throttle.js';
import type { LoginThrottleRepository } from './login-throttle.repository.js';
import { DEFAULT_SCRYPT_N, PasswordHasher } from './passwords.js';
import { signInPaddingMs } from './sign-in-timing.js';
import { requireRole, roleAtMost, ROLES, type Actor } from './roles.js';

const API_KEY_PREFIX = 'tlk_';
// Writing last_used_at on every request would turn reads into writes; once a minute is plenty.
const TOUCH_EVERY_MS = 60_000;

export interface Session {
  token: string;
  csrfToken: string;
  expiresAt: number;
}

/**
 * A user lost authority: disabled or deleted (`lostRoles` null), or demoted (`lostRoles` are the
 * roles above the new one). Credentials other modules keep on a user's authority go with it.
 */
export type AuthorityLostListener = (actor: Actor, userId: string, lostRoles: Role[] | null, at: number) => Promise<void>;

const KEY_REVOKED = 'This API key is revoked; create a new one';

export class AuthService {
  private readonly authorityLost: AuthorityLostListener[] = [];
  private readonly passwords: PasswordHasher;
  private readonly throttle: LoginThrottle;
  /** Credentials and user changes are written only on an authority still held (held-authority.ts). */
  readonly heldAuthority: HeldAuthority;
  /** How a sign-in waits out its padding (signInPaddingMs); tests replace it to see what is asked. */
  pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  constructor(
    private readonly repo: AuthRepository,
    throttleRepo: LoginThrottleRepository,
    private readonly audit: AuditService,
    private readonly sessionTtlMs: number,
    passwordScryptN = DEFAULT_SCRYPT_N,
  ) {
    this.passwords = new PasswordHasher(passwordScryptN);
    this.throttle = new LoginThrottle(throttleRepo);
    this.heldAuthority = new HeldAuthority(repo);
  }

  // ---- API keys ----

  /**
   * Creates a key; the plain key is returned once and never stored. With `replacing` (a rotation)
   * that key is revoked in the same transaction, and only if it is still live: 409 otherwise.
   */
  async createApiKey(actor: Actor, input: { name?: string; role?: Role }, replacing?: string) {
    requireRole(actor, 'admin', 'create API keys');
    const role = input.role ?? 'admin';
    if (role === 'owner' && actor.role !== 'owner') throw AppError.forbidden('Only an owner may create an owner key');
    const key = API_KEY_PREFIX + mintSecret(24);
    const id = newId();
    const created_at = nowMs();
    // Made by an admin, up to the maker's role: the user behind the actor must still be both.
    await this.heldAuthority.onHeldAuthority(actor, roleAtMost(role, 'admin') ? 'admin' : role, async (trx, createdByUser) => {
      if (replacing !== undefined && !(await this.repo.revokeApiKey(actor.orgId, replacing, created_at, trx))) throw AppError.conflict(KEY_REVOKED);
      await this.repo.insertApiKey(
        {
          id,
          org_id: actor.orgId,
          name: input.name ?? 'API key',
          prefix: key.slice(0, 10),
          key_hash: hashToken(key),
          role,
          created_by: actor.label,
          created_by_user: createdByUser,
          created_at,
          last_used_at: null,
          revoked_at: null,
        },
        trx,
      );
    }, { orgFirst: replacing !== undefined });
    if (replacing !== undefined) await this.audit.record(actor, 'api_key.revoked', { type: 'api_key', id: replacing }, { reason: 'rotated', replaced_by: id });
    await this.audit.record(actor, 'api_key.created', { type: 'api_key', id }, { name: input.name ?? 'API key', role });
    return { id, name: input.name ?? 'API key', prefix: key.slice(0, 10), role, api_key: key, created_at: toIso(created_at) };
  }

  /** Called, and awaited, whenever a user loses authority (see AuthorityLostListener). */
  onAuthorityLost(listener: AuthorityLostListener): void {
    this.authorityLost.push(listener);
  }

  async listApiKeys(actor: Actor, q: { limit?: number; cursor?: string }) {
    requireRole(actor, 'admin', 'list API keys');
    const limit = q.limit ?? 50;
    const p = page(await this.repo.listApiKeys(actor.orgId, decodeCursor(q.cursor), limit), limit, (r) => ({ at: r.created_at, id: r.id }));
    const items = p.items.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      role: r.role,
      created_by: r.created_by,
      created_by_user_id: r.created_by_user,
      created_at: toIso(r.created_at),
      last_used_at: toIso(r.last_used_at),
      revoked_at: toIso(r.revoked_at),
    }));
    return { items, next_cursor: p.next_cursor };
  }

  async revokeApiKey(actor: Actor, id: string): Promise<void> {
    requireRole(actor, 'admin', 'revoke API keys');
    const existing = await this.repo.findApiKey(actor.orgId, id);
    if (!existing) throw AppError.notFound('API key');
    // Keys are managed up to one's own role, as they are created: an admin cannot cut off an owner's integration.
    if (!roleAtMost(existing.role, actor.role)) throw AppError.forbidden(`Only an ${existing.role} may revoke an ${existing.role} key`);
    await this.repo.revokeApiKey(actor.orgId, id, nowMs());
    await this.audit.record(actor, 'api_key.revoked', { type: 'api_key', id });
  }

  /**
   * Revokes the key and issues a replacement with the same name and role, in one transaction: a
   * key already revoked (or revoked by a rotation at the same moment) is refused, 409, where it
   * used to come back as a live replacement, and a failure never leaves both keys live.
   */
  async rotateApiKey(actor: Actor, id: string) {
    // Before the key is looked at: its 409 would tell a non-admin that it is revoked.
    requireRole(actor, 'admin', 'rotate API keys');
    const existing = await this.repo.findApiKey(actor.orgId, id);
    if (!existing) throw AppError.notFound('API key');
    if (existing.revoked_at !== null) throw AppError.conflict(KEY_REVOKED);
    return this.createApiKey(actor, { name: existing.name, role: existing.role }, id);
  }

  async authenticateApiKey(key: string): Promise<Actor | null> {
    if (!key.startsWith(API_KEY_PREFIX)) return null;
    const row = await this.repo.findActiveApiKeyByHash(hashToken(key));
    if (!row) return null;
    const now = nowMs();
    if (!row.last_used_at || now - row.last_used_at > TOUCH_EVERY_MS) await this.repo.touchApiKey(row.id, now).catch(bookkeepingFailed);
    return { orgId: row.org_id, role: row.role, type: 'api_key', id: row.id, label: `key ${row.prefix}… (${row.name})` };
  }

  // ---- Users ----

  async createUser(actor: Actor, input: { email: string; name?: string; role: Role; password?: string }) {
    requireRole(actor, 'owner', 'manage users');
    const password = input.password ?? mintSecret(12);
    const id = newId();
    const email = normalizeEmail(input.email);
    // Hashed before the transaction (scrypt takes long; on SQLite the transaction holds the one
    // connection). A user who can sign in is a credential too: made only on a live authority.
    const row = { id, org_id: actor.orgId, email, name: input.name ?? email.split('@')[0], role: input.role, password_hash: await this.passwords.hash(password), created_at: nowMs(), disabled_at: null };
    await this.heldAuthority.onHeldAuthority(actor, 'owner', (trx) => this.repo.insertUser(row, trx));
    await this.audit.record(actor, 'user.created', { type: 'user', id }, { email, role: input.role });
    return { user: await this.getUser(actor, id, true), password: input.password ? undefined : password };
  }

  async getUser(actor: Actor, id: string, skipRoleCheck = false) {
    if (!skipRoleCheck && actor.id !== id) requireRole(actor, 'owner', 'manage users');
    const u = await this.repo.findUser(actor.orgId, id);
    if (!u) throw AppError.notFound('User');
    return userView(u);
  }

  async listUsers(actor: Actor, q: { limit?: number; cursor?: string }) {
    requireRole(actor, 'admin', 'list users');
    const limit = q.limit ?? 50;
    const p = page(await this.repo.listUsers(actor.orgId, decodeCursor(q.cursor), limit), limit, (u) => ({ at: u.created_at, id: u.id }));
    return { items: p.items.map(userView), next_cursor: p.next_cursor };
  }

  async updateUser(actor: Actor, id: string, input: { name?: string; role?: Role; password?: string; disabled?: boolean; current_password?: string }) {
    const { current_password: currentPassword, ...patch } = input;
    const self = actor.type === 'user' && actor.id === id;
    // Anyone may change their own name and password (knowing the current one); roles and other users are the owner's.
    if (!self || patch.role !== undefined || patch.disabled !== undefined) requireRole(actor, 'owner', 'manage users');
    const u = await this.repo.findUser(actor.orgId, id);
    if (!u) throw AppError.notFound('User');
    if (currentPassword !== undefined && patch.password === undefined) {
      throw AppError.validation('current_password goes with a new password', [{ path: 'body/current_password', message: 'Send it only with password' }]);
    }
    if (self && patch.password !== undefined) await this.confirmCurrentPassword(u.email, u.password_hash, currentPassword);
    const now = nowMs();
    // Hashed before the transaction: scrypt takes long, and on SQLite the transaction holds the one connection.
    const set = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.password !== undefined ? { password_hash: await this.passwords.hash(patch.password) } : {}),
      ...(patch.disabled !== undefined ? { disabled_at: patch.disabled ? now : null } : {}),
    };
    const mayTakeOwnerAway = (patch.role !== undefined && patch.role !== 'owner') || patch.disabled === true;
    const behind = await this.heldAuthority.userBehind(actor);
    await this.repo.transaction(async (trx) => {
      await this.heldAuthority.takeUserChangeTurn(trx, actor, behind, self && patch.role === undefined && patch.disabled === undefined ? 'viewer' : 'owner');
      if (mayTakeOwnerAway) await this.keepAnOwner(trx, actor.orgId, id);
      await this.repo.updateUser(actor.orgId, id, set, trx);
    });
    // A new password, role or a disabled account ends every existing session of that user.
    if (patch.password !== undefined || patch.role !== undefined || patch.disabled) await this.repo.revokeUserSessions(actor.orgId, id, now);
    await this.audit.record(actor, 'user.updated', { type: 'user', id }, { fields: Object.keys(patch) });
    // Keys never outlive their user's authority: all of them go when the user is disabled,
    // those above the new role when demoted.
    if (patch.disabled) await this.revokeKeysOf(actor, id, now);
    else if (patch.role !== undefined) await this.revokeKeysOf(actor, id, now, ROLES.filter((r) => !roleAtMost(r, patch.role as Role)));
    return this.getUser(actor, id, true);
  }

  /**
   * A session changing its own user's password must know the current one: otherwise a stolen
   * session could take the account for good (the change also ends every other session). Wrong
   * guesses count against the per-email lock sign-in uses, and a locked email is refused with its
   * 429 here too, so the session is no way around the lock. An owner or key setting another
   * user's password needs nothing more: that is the owner's to do.
   */
  private async confirmCurrentPassword(email: string, passwordHash: string, current: string | undefined): Promise<void> {
    if (current === undefined) {
      throw AppError.validation('Changing your own password needs your current password', [{ path: 'body/current_password', message: 'Required to change your own password' }]);
    }
    try {
      await this.throttle.guard(normalizeEmail(email), async () => {
        if (!(await this.passwords.verify(current, passwordHash))) throw new AppError('unauthorized', 'The current password is wrong');
      });
    } catch (err) {
      // Counted as a failed sign-in (the throttle counts 'unauthorized'), answered 403: a 401 would
      // say the session itself is no good, and the admin app would show the sign-in page.
      if (err instanceof AppError && err.code === 'unauthorized') {
        throw new AppError('forbidden', 'The current password is wrong', [{ path: 'body/current_password', message: 'Wrong password' }]);
      }
      throw err;
    }
  }

  /**
   * Refuses (409) taking the user's owner role away (demoted, disabled, deleted) when no other
   * active owner is left. Run in the change's transaction, with the org held first
   * (lockForOwnerChange), and the user and the owners read only then: two owners demoted at once
   * each counted the other on PostgreSQL (neither change committed yet) and left no owner.
   */
  private async keepAnOwner(trx: DbTransaction, orgId: string, userId: string): Promise<void> {
    await this.repo.lockForOwnerChange(trx, orgId);
    const u = await this.repo.findUser(orgId, userId, trx);
    if (u?.role === 'owner' && (await this.repo.countOwners(orgId, trx)) <= 1) throw AppError.conflict('An organization needs at least one active owner');
  }

  private async revokeKeysOf(actor: Actor, userId: string, now: number, onlyRoles?: Role[]): Promise<void> {
    for (const keyId of await this.repo.revokeKeysOfUser(actor.orgId, userId, now, onlyRoles)) {
      await this.audit.record(actor, 'api_key.revoked', { type: 'api_key', id: keyId }, { reason: onlyRoles ? 'creator demoted' : 'creator disabled or deleted', user_id: userId });
    }
    for (const listener of this.authorityLost) await listener(actor, userId, onlyRoles ?? null, now);
  }

  async deleteUser(actor: Actor, id: string): Promise<void> {
    requireRole(actor, 'owner', 'manage users');
    const u = await this.repo.findUser(actor.orgId, id);
    if (!u) throw AppError.notFound('User');
    const behind = await this.heldAuthority.userBehind(actor);
    await this.repo.transaction(async (trx) => {
      await this.heldAuthority.takeUserChangeTurn(trx, actor, behind, 'owner');
      await this.keepAnOwner(trx, actor.orgId, id);
      await this.repo.deleteUser(actor.orgId, id, trx);
    });
    await this.audit.record(actor, 'user.deleted', { type: 'user', id }, { email: u.email });
    await this.revokeKeysOf(actor, id, nowMs());
  }

  // ---- Sessions (admin app) ----

  /**
   * Users are per org, so one email may have an account in several orgs. The password is checked
   * against each of them (against a dummy hash when there is none, so timing does not tell which
   * emails exist); an account whose password matches is the one signed in. Only when the password
   * opens several does the caller learn their orgs' names, and picks one with `org_id`.
   */
  /** Per email: refused for a while after repeated failures (login-throttle.ts), on top of the route's per-IP limit. */
  login(email: string, password: string, orgId?: string): Promise<Session & { user: ReturnType<typeof userView> }> {
    const normalized = normalizeEmail(email);
    return this.throttle.guard(normalized, () => this.openSession(normalized, password, orgId));
  }

  private async openSession(email: string, password: string, orgId?: string): Promise<Session & { user: ReturnType<typeof userView> }> {
    const accounts = await this.repo.findUsersByEmail(email, orgId, MAX_ACCOUNTS_PER_EMAIL);
    const started = performance.now();
    // Verify against a dummy hash of today's cost when the email is unknown, so timing does not tell.
    if (!accounts.length) await this.passwords.verify(password, this.passwords.dummyHash);
    const opened = [];
    for (const a of accounts) if ((await this.passwords.verify(password, a.password_hash)) && !a.disabled_at) opened.push(a);
    // Answered only after as long as a few checks would take, whatever the outcome: see sign-in-timing.ts.
    const padding = signInPaddingMs(performance.now() - started, Math.max(1, accounts.length));
    if (padding > 0) await this.pause(padding);
    if (!opened.length) throw new AppError('unauthorized', 'Email or password is wrong');
    if (opened.length > 1) {
      throw AppError.conflict(
        'This email and password open accounts in several organizations: choose one',
        opened.map((a) => ({ path: 'body/org_id', message: a.org_name, org_id: a.org_id, org_name: a.org_name })),
      );
    }
    const u = opened[0];
    // The password is at hand only now: a hash made at an older, cheaper cost is replaced.
    const rehash = this.passwords.needsRehash(u.password_hash) ? await this.passwords.hash(password) : null;
    const token = randomToken(32);
    const csrfToken = randomToken(24);
    const now = nowMs();
    const expiresAt = now + this.sessionTtlMs;
    const session = { id: hashToken(token), user_id: u.id, org_id: u.org_id, csrf_token: csrfToken, created_at: now, expires_at: expiresAt, revoked_at: null, last_seen_at: now };
    // Opened only on the account as it was checked, held (holdUserAsChecked): the checks and the
    // padding take a while, and a password changed or an account disabled meanwhile, whose change
    // ended the user's sessions, left this one open, on the password just replaced.
    const opens = await this.repo.transaction(async (trx) => {
      if (!(await this.repo.holdUserAsChecked(trx, u.org_id, u.id, u.password_hash, rehash))) return false;
      await this.repo.insertSession(session, trx);
      return true;
    });
    if (!opens) throw new AppError('unauthorized', 'Email or password is wrong');
    return { token, csrfToken, expiresAt, user: userView(u) };
  }

  async authenticateSession(token: string): Promise<{ actor: Actor; csrfToken: string; sessionId: string } | null> {
    const now = nowMs();
    const s = await this.repo.findLiveSession(hashToken(token), now);
    if (!s) return null;
    if (now - s.last_seen_at > TOUCH_EVERY_MS) await this.repo.touchSession(s.id, now).catch(bookkeepingFailed);
    return {
      actor: { orgId: s.org_id, role: s.role, type: 'user', id: s.user_id, sessionId: s.id, label: s.email },
      csrfToken: s.csrf_token,
      sessionId: s.id,
    };
  }

  /** Forgets failed sign-ins nobody added to for a day (the housekeeping job). */
  purgeLoginFailures(now: number): Promise<void> {
    return this.throttle.purge(now);
  }

  async logout(token: string): Promise<void> {
    await this.repo.revokeSession(hashToken(token), nowMs());
  }

  async listSessions(actor: Actor, userId: string, q: { limit?: number; cursor?: string }) {
    if (actor.id !== userId) requireRole(actor, 'owner', 'see other users’ sessions');
    if (!(await this.repo.findUser(actor.orgId, userId))) throw AppError.notFound('User');
    const limit = q.limit ?? 50;
    const rows = await this.repo.listUserSessions(actor.orgId, userId, nowMs(), decodeCursor(q.cursor), limit);
    const p = page(rows, limit, (r) => ({ at: r.created_at, id: r.id.slice(0, 16) }));
    return {
      items: p.items.map((r) => ({ id: r.id.slice(0, 16), created_at: toIso(r.created_at), expires_at: toIso(r.expires_at), last_seen_at: toIso(r.last_seen_at) })),
      next_cursor: p.next_cursor,
    };
  }

  async revokeSessions(actor: Actor, userId: string): Promise<void> {
    if (actor.id !== userId) requireRole(actor, 'owner', 'end other users’ sessions');
    if (!(await this.repo.findUser(actor.orgId, userId))) throw AppError.notFound('User');
    await this.repo.revokeUserSessions(actor.orgId, userId, nowMs());
    await this.audit.record(actor, 'user.sessions_revoked', { type: 'user', id: userId });
  }
}

/** An email as accounts store it and the sign-in lock counts it: one spelling per address. */
const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Accounts one email may open at login; a bound on the password checks one request costs. */
const MAX_ACCOUNTS_PER_EMAIL = 10;


function userView(u: { id: string; email: string; name: string; role: Role; created_at: number; disabled_at: number | null }) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, created_at: toIso(u.created_at), disabled: u.disabled_at !== null };
}

/**
 * "Last used" is bookkeeping: a database that cannot write now (a full disk) must not turn every
 * authenticated read into a 503. Other failures still fail the request.
 */
function bookkeepingFailed(err: unknown): void {
  if (!storeProblem(err)) throw err;
}
