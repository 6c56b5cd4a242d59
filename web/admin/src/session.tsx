// Who is signed in: loaded from /api/v1/auth/me, shared through context.
import { createContext, useContext } from 'react';
import type { Me, Role } from './types';

export interface SessionValue {
  me: Me;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in screen');
  return s;
}

const RANK: Record<Role, number> = { viewer: 0, dispatcher: 1, admin: 2, owner: 3 };
export const atLeast = (role: Role, min: Role) => RANK[role] >= RANK[min];

export function useCan(min: Role): boolean {
  return atLeast(useSession().me.actor.role, min);
}
