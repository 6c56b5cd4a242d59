// Credentials (API keys, ingest tokens, users who can sign in) and changes of users are written
// only while the authority they are made on still holds. A request is authenticated before its
// handler runs, and a client may send its body slowly: a key revoked, a session signed out, or a
// user demoted or disabled in between would otherwise have made something that outlived it.
// Holding the rows (a write of them unchanged) makes such a change either commit first (and the
// request is refused) or wait for the request's transaction (and undo what it made, as it undoes
// everything else of that authority).
import type { DbTransaction, Role } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';
import { nowMs } from '../../shared/time.js';
import type { AuthRepository } from './auth.repository.js';
import { roleAtMost, ROLES, type Actor } from './roles.js';

export class HeldAuthority {
  constructor(private readonly repo: AuthRepository) {}

  /** The user on whose authority the actor acts: the user, or the user behind a key; null for the CLI and the system. */
  async userBehind(actor: Actor): Promise<string | null> {
    return actor.type === 'user' ? actor.id : actor.type === 'api_key' && actor.id ? this.repo.apiKeyOwner(actor.orgId, actor.id) : null;
  }

  /**
   * Runs `create`, which stores a credential made on the actor's authority, in a transaction that
   * holds the user behind the actor (if any) while that user is enabled and at least `role` (403
   * otherwise), then the actor's key or session while it is live (401 otherwise).
   */
  async onHeldAuthority<T>(actor: Actor, role: Role, create: (trx: DbTransaction, createdByUser: string | null) => Promise<T>, opts: { orgFirst?: boolean } = {}): Promise<T> {
    const user = await this.userBehind(actor);
    return this.repo.transaction(async (trx) => {
      // A rotation revokes another API key, which may be the key of a request rotating this one's:
      // each would hold its own key and wait for the other's, a deadlock on PostgreSQL (503).
      // Taking the org first makes them queue; the second then finds its key revoked (401).
      if (opts.orgFirst) await this.repo.lockForOwnerChange(trx, actor.orgId);
      await this.hold(trx, actor, user, role);
      return create(trx, user);
    });
  }

  /**
   * A change of users (a password set, a role, a disabling, a deletion) takes its turn with the
   * org held, then holds the actor's authority as onHeldAuthority does. The org first, so two
   * owners changing each other at the same moment queue instead of deadlocking.
   */
  async takeUserChangeTurn(trx: DbTransaction, actor: Actor, behind: string | null, role: Role): Promise<void> {
    await this.repo.lockForOwnerChange(trx, actor.orgId);
    await this.hold(trx, actor, behind, role);
  }

  /**
   * The user first, then the key or session, as the user's deletion takes them (its sessions go
   * by ON DELETE CASCADE): the other way round, a request holding its session and waiting for its
   * user met that deletion in a deadlock on PostgreSQL.
   */
  private async hold(trx: DbTransaction, actor: Actor, user: string | null, role: Role): Promise<void> {
    if (user && !(await this.repo.holdAuthority(trx, actor.orgId, user, ROLES.filter((r) => roleAtMost(role, r))))) {
      throw AppError.forbidden(`The user behind this request is no longer an enabled ${role} or higher`);
    }
    if (!(await this.repo.holdCredential(trx, actor, nowMs()))) throw new AppError('unauthorized', 'The API key or session of this request was revoked or has expired');
  }
}
