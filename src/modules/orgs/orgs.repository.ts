import type { Kysely } from 'kysely';
import { holdOrg } from '../../db/hold-org.js';
import { isUniqueViolation } from '../../db/index.js';
import type { Database, DbTransaction, NewOrg, OrgUpdate } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';

type Db = Kysely<Database> | DbTransaction;

export class OrgsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (trx: DbTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async insert(org: NewOrg): Promise<void> {
    await this.db.insertInto('orgs').values(org).execute();
  }
  find(id: string, trx: Db = this.db) {
    return trx.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
  }
  findByName(name: string) {
    return this.db.selectFrom('orgs').selectAll().where('name', '=', name).executeTakeFirst();
  }
  /**
   * The org inside a write transaction, held for it (holdOrg) and read after: two changes merged
   * into one setting run one after the other, and neither is merged into a value the other replaced.
   */
  async lockForChange(trx: DbTransaction, id: string) {
    await holdOrg(trx, id);
    return this.find(id, trx);
  }
  async update(id: string, patch: OrgUpdate, trx: Db = this.db): Promise<void> {
    try {
      await trx.updateTable('orgs').set(patch).where('id', '=', id).execute();
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
