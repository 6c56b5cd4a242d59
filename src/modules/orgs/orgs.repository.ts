import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/index.js';
import type { Database, NewOrg, OrgUpdate } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';

export class OrgsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(org: NewOrg): Promise<void> {
    await this.db.insertInto('orgs').values(org).execute();
  }
  find(id: string) {
    return this.db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
  }
  findByName(name: string) {
    return this.db.selectFrom('orgs').selectAll().where('name', '=', name).executeTakeFirst();
  }
  async update(id: string, patch: OrgUpdate): Promise<void> {
    try {
      await this.db.updateTable('orgs').set(patch).where('id', '=', id).execute();
    } catch (err) {
      // Only an owner learns a handle is taken, as with any unique name they pick.
      if (isUniqueViolation(err)) throw AppError.conflict('Another organization already uses this handle', [{ path: 'body/handle', message: 'already taken' }]);
      throw err;
    }
  }
  list() {
    return this.db.selectFrom('orgs').selectAll().orderBy('created_at').execute();
  }
}
