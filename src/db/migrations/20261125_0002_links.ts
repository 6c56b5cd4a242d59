// One active link per recipient of a shipment, enforced by the store so concurrent notification
// workers asking for "the link of this recipient" cannot create two.
import { sql, type Kysely } from 'kysely';

export const links = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('tracking_links_one_per_recipient')
      .on('tracking_links')
      .columns(['shipment_id', 'recipient_email'])
      .unique()
      .where(sql.ref('state'), '=', 'active')
      .where(sql.ref('recipient_email'), 'is not', null)
      .execute();
    await db.schema.createIndex('tracking_links_org_state').on('tracking_links').columns(['org_id', 'state']).execute();
  },
};
