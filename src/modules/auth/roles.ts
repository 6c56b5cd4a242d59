// Who is calling and what their role lets them do. Services check roles; routes only pass the actor on.
import type { Role } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';

export type { Role } from '../../db/schema.js';
export const ROLES: readonly Role[] = ['viewer', 'dispatcher', 'admin', 'owner'];

export interface Actor {
  orgId: string;
  role: Role;
  type: 'user' | 'api_key' | 'cli' | 'system';
  id: string | null;
  /** The session a signed-in user acts through (its stored id, a hash): held while a credential is made on it. */
  sessionId?: string;
  /** Human-readable name for the audit log ("alice@acme.test", "key tlk_ab12…"). */
  label: string;
}

const RANK: Record<Role, number> = { viewer: 0, dispatcher: 1, admin: 2, owner: 3 };

export function hasRole(actor: Actor, min: Role): boolean {
  return RANK[actor.role] >= RANK[min];
}

/** Whether `role` gives no more than `max` does. */
export function roleAtMost(role: Role, max: Role): boolean {
  return RANK[role] <= RANK[max];
}

export function requireRole(actor: Actor, min: Role, what?: string): void {
  if (!hasRole(actor, min)) {
    throw AppError.forbidden(what ? `Only ${min} or higher may ${what}` : `This needs the ${min} role or higher`);
  }
}

export const systemActor = (orgId: string, label = 'system'): Actor => ({ orgId, role: 'owner', type: 'system', id: null, label });
export const cliActor = (orgId: string): Actor => ({ orgId, role: 'owner', type: 'cli', id: null, label: 'cli' });
