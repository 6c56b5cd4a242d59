// Creating an org together with its first owner and API key: used by the CLI, the demo and tests.
import type { Services } from '../../services.js';
import { cliActor } from '../auth/roles.js';

export interface BootstrappedOrg {
  org_id: string;
  api_key: string;
  owner_email: string;
  owner_password: string;
}

export async function createOrgWithOwner(
  services: Services,
  input: { name: string; country: string; ownerEmail: string; ownerPassword?: string },
): Promise<BootstrappedOrg> {
  const org = await services.orgs.create({ name: input.name, country: input.country });
  const actor = cliActor(org.id);
  const { password } = await services.auth.createUser(actor, {
    email: input.ownerEmail,
    name: 'Owner',
    role: 'owner',
    password: input.ownerPassword,
  });
  const key = await services.auth.createApiKey(actor, { name: 'Owner key (CLI)', role: 'owner' });
  return { org_id: org.id, api_key: key.api_key, owner_email: input.ownerEmail.toLowerCase(), owner_password: input.ownerPassword ?? (password as string) };
}
