// Ingest tokens: the credential a server-to-server feed (Traccar's position forwarding) sends for
// an org. Shown once, stored as a SHA-256 hash like API keys and device tokens. A token can only
// feed positions of its org's devices: it opens no /api/v1 route, which is why it is its own
// credential rather than an API key (API keys carry roles, not scopes, and every key opens the API).
import { storeProblem } from '../../db/health.js';
import type { DbTransaction } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';
import { hashToken, newId } from '../../shared/ids.js';
import { decodeCursor, page } from '../../shared/pagination.js';
import { mintSecret } from '../../shared/secrets.js';
import { nowMs, toIso } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireRole, type Actor, type Role } from '../auth/roles.js';
import type { IngestTokenRow, IngestTokensRepository } from './ingest-tokens.repository.js';

export const INGEST_TOKEN_PREFIX = 'tli_';
// Writing last_used_at on every forwarded position would double the writes; once a minute is plenty.
const TOUCH_EVERY_MS = 60_000;

function tokenView(r: Omit<IngestTokenRow, 'token_hash' | 'created_by_user'>) {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    created_by: r.created_by,
    created_at: toIso(r.created_at) as string,
    last_used_at: toIso(r.last_used_at),
    revoked_at: toIso(r.revoked_at),
  };
}

const TOKEN_REVOKED = 'This ingest token is revoked; create a new one';

export class IngestTokensService {
  constructor(
    private readonly repo: IngestTokensRepository,
    private readonly audit: AuditService,
    private readonly publicBaseUrl: string,
    /** Stores a credential with the authority of the user behind the actor held (HeldAuthority.onHeldAuthority, held-authority.ts). */
    private readonly onHeldAuthority: <T>(actor: Actor, role: Role, create: (trx: DbTransaction, createdByUser: string | null) => Promise<T>) => Promise<T>,
  ) {}

  /** A new token; the secret is in this reply only, with the two Traccar settings that carry it. */
  async create(actor: Actor, input: { name?: string }, replacing?: string) {
    requireRole(actor, 'admin', 'create ingest tokens');
    const token = INGEST_TOKEN_PREFIX + mintSecret(24);
    const row: Omit<IngestTokenRow, 'created_by_user'> = {
      id: newId(),
      org_id: actor.orgId,
      name: input.name ?? 'Traccar',
      prefix: token.slice(0, 10),
      token_hash: hashToken(token),
      created_by: actor.label,
      created_at: nowMs(),
      last_used_at: null,
      revoked_at: null,
    };
    // Its maker must still be an admin when it is stored: see revokeOfUser.
    // A rotation revokes the token it replaces in the same transaction, only if it is still live.
    await this.onHeldAuthority(actor, 'admin', async (trx, createdByUser) => {
      if (replacing !== undefined && !(await this.repo.revoke(actor.orgId, replacing, row.created_at, trx))) throw AppError.conflict(TOKEN_REVOKED);
      await this.repo.insert({ ...row, created_by_user: createdByUser }, trx);
    });
    if (replacing !== undefined) await this.audit.record(actor, 'ingest_token.revoked', { type: 'ingest_token', id: replacing }, { reason: 'rotated', replaced_by: row.id });
    await this.audit.record(actor, 'ingest_token.created', { type: 'ingest_token', id: row.id }, { name: row.name });
    return { ...tokenView(row), token, traccar: { forward_url: `${this.publicBaseUrl}/ingest/traccar`, forward_header: `Authorization: Bearer ${token}` } };
  }

  async list(actor: Actor, q: { limit?: number; cursor?: string }) {
    requireRole(actor, 'admin', 'list ingest tokens');
    const limit = q.limit ?? 50;
    const p = page(await this.repo.list(actor.orgId, decodeCursor(q.cursor), limit), limit, (r) => ({ at: r.created_at, id: r.id }));
    return { items: p.items.map(tokenView), next_cursor: p.next_cursor };
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    requireRole(actor, 'admin', 'revoke ingest tokens');
    if (!(await this.repo.find(actor.orgId, id))) throw AppError.notFound('Ingest token');
    await this.repo.revoke(actor.orgId, id, nowMs());
    await this.audit.record(actor, 'ingest_token.revoked', { type: 'ingest_token', id });
  }

  /**
   * Revokes the token and issues a replacement with the same name (then update traccar.xml), in
   * one transaction: a revoked token is refused (409), where it used to get a live replacement.
   */
  async rotate(actor: Actor, id: string) {
    requireRole(actor, 'admin', 'rotate ingest tokens');
    const existing = await this.repo.find(actor.orgId, id);
    if (!existing) throw AppError.notFound('Ingest token');
    if (existing.revoked_at !== null) throw AppError.conflict(TOKEN_REVOKED);
    return this.create(actor, { name: existing.name }, id);
  }

  /**
   * Its maker lost authority (AuthService.onAuthorityLost): disabled or deleted, or demoted below
   * admin, the role that makes tokens. Enabling the user again does not bring them back.
   */
  async revokeOfUser(actor: Actor, userId: string, lostRoles: Role[] | null, at: number): Promise<void> {
    if (lostRoles && !lostRoles.includes('admin')) return;
    for (const id of await this.repo.revokeOfUser(actor.orgId, userId, at)) {
      await this.audit.record(actor, 'ingest_token.revoked', { type: 'ingest_token', id }, { reason: lostRoles ? 'creator demoted' : 'creator disabled or deleted', user_id: userId });
    }
  }

  /** The org a live token belongs to, or null. */
  async authenticate(token: string): Promise<{ orgId: string; tokenId: string } | null> {
    if (!token.startsWith(INGEST_TOKEN_PREFIX)) return null;
    const row = await this.repo.findActiveByHash(hashToken(token));
    if (!row) return null;
    const now = nowMs();
    if (!row.last_used_at || now - row.last_used_at > TOUCH_EVERY_MS) await this.repo.touch(row.id, now).catch(bookkeepingFailed);
    return { orgId: row.org_id, tokenId: row.id };
  }
}

/** "Last used" is bookkeeping: a store that cannot write now (a full disk) must not refuse the feed. */
function bookkeepingFailed(err: unknown): void {
  if (!storeProblem(err)) throw err;
}
