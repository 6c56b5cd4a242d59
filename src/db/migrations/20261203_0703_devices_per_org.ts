// Device external ids are unique per org, not across orgs (creating one no longer tells an org
// that another uses an id), and each device records whether the server generated its external
// id: only such ids (long and random) may authenticate on the bare /ingest/osmand URL; a device
// with an id someone chose sends to /ingest/osmand/<token>.
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';
import { relaxUniqueColumn } from '../relax-unique.js';

interface Tables {
  devices: { external_id: string; external_id_generated: number };
}

export const devicesPerOrg = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await relaxUniqueColumn(db, dialect, 'devices', 'external_id', { name: 'devices_org_external_id', columns: ['org_id', 'external_id'] });
    // The bare OsmAnd URL looks devices up by external id alone.
    await db.schema.createIndex('devices_external_id').on('devices').column('external_id').execute();
    await db.schema.alterTable('devices').addColumn('external_id_generated', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // Ids generated so far: "dev-" and 16 base64url characters (96 random bits). Partner devices'
    // generated ids ("partner-…") never speak OsmAnd, so they stay 0.
    const t = db as unknown as Kysely<Tables>;
    await t
      .updateTable('devices')
      .set({ external_id_generated: 1 })
      .where('external_id', 'like', 'dev-%')
      .where((eb) => eb(eb.fn('length', ['external_id']), '=', 20))
      .execute();
  },
});
