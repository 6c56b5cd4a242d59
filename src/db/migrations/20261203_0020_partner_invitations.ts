// Partner organizations: an org's public handle, connections accepted by both sides (one row per
// direction, so "my partners" is one org-scoped query), and the invitations that lead to them.
// Existing per-shipment shares become connections, so shipments already shared stay visible.
import { sql, type Kysely } from 'kysely';

export const partnerInvitations = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('org_partners')
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('partner_org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('org_partners_pk', ['org_id', 'partner_org_id'])
      .execute();

    await db.schema
      .createTable('partner_invitations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      // What the inviter typed ("@handle" or an email), shown back to the inviter only.
      .addColumn('address', 'text', (c) => c.notNull())
      // The org the address named when sent, or null when it named none the inviter may reach.
      .addColumn('target_org_id', 'text', (c) => c.references('orgs.id').onDelete('set null'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('invited_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('responded_at', 'bigint')
      .execute();
    await db.schema.createIndex('partner_invitations_org_created').on('partner_invitations').columns(['org_id', 'created_at']).execute();
    await db.schema.createIndex('partner_invitations_target_state').on('partner_invitations').columns(['target_org_id', 'state']).execute();

    // Unique but nullable: an org without a handle can be invited only by an admin's email.
    await db.schema.alterTable('orgs').addColumn('handle', 'text').execute();
    await db.schema.createIndex('orgs_handle').on('orgs').column('handle').unique().execute();

    await connectExistingShares(db);
  },
};

/** Every pair of orgs with a shipment shared between them becomes connected, both ways. */
export async function connectExistingShares<DB>(db: Kysely<DB>): Promise<void> {
  const now = sql.lit(Date.now());
  await sql`
    insert into org_partners (org_id, partner_org_id, created_at)
    select p.org_id, p.partner_org_id, ${now}
    from (select org_id, partner_org_id from shipment_partners union select partner_org_id, org_id from shipment_partners) p
    where not exists (select 1 from org_partners o where o.org_id = p.org_id and o.partner_org_id = p.partner_org_id)
  `.execute(db);
}
