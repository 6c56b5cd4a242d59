import type { Kysely } from 'kysely';
import type { Database, NewOrg, OrgUpdate } from '../../db/schema.js';

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
    await this.db.updateTable('orgs').set(patch).where('id', '=', id).execute();
  }
  list() {
    return this.db.selectFrom('orgs').selectAll().orderBy('created_at').execute();
  }
}
