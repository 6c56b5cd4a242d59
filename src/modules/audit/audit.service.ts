// Who did what to which link, key, user or setting, and when. Append-only.
import { newId } from '../../shared/ids.js';
import { decodeCursor, page } from '../../shared/pagination.js';
import { nowMs, toIso } from '../../shared/time.js';
import { requireRole, type Actor } from '../auth/roles.js';
import type { AuditRepository, Db } from './audit.repository.js';

export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  async record(actor: Actor, action: string, target: { type: string; id: string | null }, data: Record<string, unknown> = {}, trx?: Db) {
    await this.repo.insert(
      {
        id: newId(),
        org_id: actor.orgId,
        actor_type: actor.type,
        actor_id: actor.id,
        actor_label: actor.label,
        action,
        target_type: target.type,
        target_id: target.id,
        data: JSON.stringify(data),
        created_at: nowMs(),
      },
      trx,
    );
  }

  async list(actor: Actor, q: { action?: string; target_id?: string; cursor?: string; limit?: number }) {
    requireRole(actor, 'admin', 'read the audit log');
    const limit = q.limit ?? 50;
    const rows = await this.repo.list(actor.orgId, { action: q.action, targetId: q.target_id, before: decodeCursor(q.cursor), limit });
    const p = page(rows, limit, (r) => ({ at: r.created_at, id: r.id }));
    return {
      items: p.items.map((r) => ({
        id: r.id,
        action: r.action,
        actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label },
        target: { type: r.target_type, id: r.target_id },
        data: JSON.parse(r.data) as Record<string, unknown>,
        created_at: toIso(r.created_at),
      })),
      next_cursor: p.next_cursor,
    };
  }
}
