// The only code that touches partner tables: connections (org_partners, one row per direction),
// invitations, and which shipments an org shared with which partner (shipment_partners).
import type { Insertable, Kysely, Transaction } from 'kysely';
import { holdOrg } from '../../db/hold-org.js';
import { isForeignKeyViolation } from '../../db/index.js';
import { AppError } from '../../shared/errors.js';
import type { Database, PartnerInvitationTable, PartnerInvitationState } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;
type Before = { at: number; id: string } | undefined;

export class PartnersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  // ---- finding the org an invitation names ----

  async orgIdsByHandle(handle: string): Promise<string[]> {
    return (await this.db.selectFrom('orgs').select('id').where('handle', '=', handle).execute()).map((r) => r.id);
  }

  /** Orgs where an enabled owner or admin has this email (emails are stored lowercase). */
  async orgIdsByAdminEmail(email: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('users')
      .select('org_id')
      .distinct()
      .where('email', '=', email)
      .where('role', 'in', ['owner', 'admin'])
      .where('disabled_at', 'is', null)
      .execute();
    return rows.map((r) => r.org_id);
  }

  // ---- connections ----

  async connected(orgId: string, partnerOrgId: string): Promise<boolean> {
    const row = await this.db.selectFrom('org_partners').select('org_id').where('org_id', '=', orgId).where('partner_org_id', '=', partnerOrgId).executeTakeFirst();
    return row !== undefined;
  }

  listPartners(orgId: string, before: Before, limit: number) {
    let q = this.db
      .selectFrom('org_partners as p')
      .innerJoin('orgs as o', 'o.id', 'p.partner_org_id')
      .select(['p.partner_org_id', 'p.created_at', 'o.name', 'o.handle'])
      .where('p.org_id', '=', orgId);
    if (before) {
      q = q.where((eb) => eb.or([eb('p.created_at', '<', before.at), eb.and([eb('p.created_at', '=', before.at), eb('p.partner_org_id', '<', before.id)])]));
    }
    return q.orderBy('p.created_at', 'desc').orderBy('p.partner_org_id', 'desc').limit(limit + 1).execute();
  }

  /** Both directions; repeating it is harmless. */
  async connect(trx: Db, a: string, b: string, at: number): Promise<void> {
    await trx
      .insertInto('org_partners')
      .values([
        { org_id: a, partner_org_id: b, created_at: at },
        { org_id: b, partner_org_id: a, created_at: at },
      ])
      .onConflict((oc) => oc.columns(['org_id', 'partner_org_id']).doNothing())
      .execute();
  }

  /** Ends a connection and every share between the two orgs, both ways; false when there was none. */
  async disconnect(trx: Db, a: string, b: string): Promise<boolean> {
    const r = await trx
      .deleteFrom('org_partners')
      .where((eb) => eb.or([eb.and([eb('org_id', '=', a), eb('partner_org_id', '=', b)]), eb.and([eb('org_id', '=', b), eb('partner_org_id', '=', a)])]))
      .executeTakeFirst();
    await trx
      .deleteFrom('shipment_partners')
      .where((eb) => eb.or([eb.and([eb('org_id', '=', a), eb('partner_org_id', '=', b)]), eb.and([eb('org_id', '=', b), eb('partner_org_id', '=', a)])]))
      .execute();
    return Number(r.numDeletedRows) > 0;
  }

  // ---- invitations ----

  /** Invitations an org sends are counted and inserted one after the other (holdOrg): the bounds hold for all of them. */
  holdInviter(trx: Transaction<Database>, orgId: string): Promise<void> {
    return holdOrg(trx, orgId);
  }

  /**
   * Acceptances between two orgs take turns: the one invitation each way, accepted at the same
   * moment, each held its own and waited for the other's (acceptAllBetween), a deadlock on
   * PostgreSQL. One org of the pair, the same whichever accepts, is held first.
   */
  holdPair(trx: Transaction<Database>, a: string, b: string): Promise<void> {
    return holdOrg(trx, a < b ? a : b);
  }

  async insertInvitation(row: Insertable<PartnerInvitationTable>, trx: Db = this.db): Promise<void> {
    await trx.insertInto('partner_invitations').values(row).execute();
  }

  /** An org's invitations sent since `since`: when, their state and expiry. */
  async sentSince(orgId: string, since: number, trx: Db = this.db): Promise<{ at: number; state: PartnerInvitationState; expiresAt: number }[]> {
    const rows = await trx.selectFrom('partner_invitations').select(['state', 'created_at', 'expires_at']).where('org_id', '=', orgId).where('created_at', '>=', since).execute();
    return rows.map((r) => ({ at: Number(r.created_at), state: r.state, expiresAt: Number(r.expires_at) }));
  }

  listSent(orgId: string, before: Before, limit: number) {
    let q = this.db
      .selectFrom('partner_invitations as i')
      .leftJoin('orgs as o', 'o.id', 'i.target_org_id')
      .select(['i.id', 'i.address', 'i.state', 'i.created_at', 'i.expires_at', 'i.responded_at', 'i.target_org_id', 'o.name as target_name', 'o.handle as target_handle'])
      .where('i.org_id', '=', orgId);
    if (before) q = q.where((eb) => eb.or([eb('i.created_at', '<', before.at), eb.and([eb('i.created_at', '=', before.at), eb('i.id', '<', before.id)])]));
    return q.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(limit + 1).execute();
  }

  /** Pending, unexpired invitations addressed to an org, with who sent them. */
  listReceived(orgId: string, now: number, before: Before, limit: number) {
    let q = this.db
      .selectFrom('partner_invitations as i')
      .innerJoin('orgs as o', 'o.id', 'i.org_id')
      .select(['i.id', 'i.org_id', 'i.address', 'i.created_at', 'i.expires_at', 'o.name as from_name', 'o.handle as from_handle'])
      .where('i.target_org_id', '=', orgId)
      .where('i.state', '=', 'pending')
      .where('i.expires_at', '>', now);
    if (before) q = q.where((eb) => eb.or([eb('i.created_at', '<', before.at), eb.and([eb('i.created_at', '=', before.at), eb('i.id', '<', before.id)])]));
    return q.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(limit + 1).execute();
  }

  findReceived(orgId: string, id: string, now: number) {
    return this.db
      .selectFrom('partner_invitations')
      .selectAll()
      .where('id', '=', id)
      .where('target_org_id', '=', orgId)
      .where('state', '=', 'pending')
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Moves a pending invitation on; false when someone else answered it first. */
  async respond(trx: Db, id: string, state: Exclude<PartnerInvitationState, 'pending'>, at: number): Promise<boolean> {
    const r = await trx.updateTable('partner_invitations').set({ state, responded_at: at }).where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Other pending invitations between the two orgs are answered by the connection too. */
  async acceptAllBetween(trx: Db, a: string, b: string, at: number): Promise<void> {
    await trx
      .updateTable('partner_invitations')
      .set({ state: 'accepted', responded_at: at })
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb.and([eb('org_id', '=', a), eb('target_org_id', '=', b)]), eb.and([eb('org_id', '=', b), eb('target_org_id', '=', a)])]))
      .execute();
  }

  /** The inviter takes back an invitation in one of `from`; the row stays, so it still counts for the day. */
  async withdraw(orgId: string, id: string, at: number, from: PartnerInvitationState[]): Promise<boolean> {
    const r = await this.db
      .updateTable('partner_invitations')
      .set({ state: 'withdrawn', responded_at: at })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('state', 'in', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  // ---- shipments shared with partners ----

  /**
   * Whether the two orgs are connected, and if so the connection held until the transaction ends,
   * by writing its row unchanged: PostgreSQL's row lock (SQLite's one write lock) keeps a
   * disconnection from deleting it meanwhile, and one deleted by a disconnection not yet committed
   * is waited for and then found gone. A share made under it is ended by the disconnection after
   * it, never left behind by one before it.
   */
  async holdConnection(trx: Db, orgId: string, partnerOrgId: string): Promise<boolean> {
    const r = await trx
      .updateTable('org_partners')
      .set((eb) => ({ created_at: eb.ref('created_at') }))
      .where('org_id', '=', orgId)
      .where('partner_org_id', '=', partnerOrgId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * 404 when the shipment is gone: the service found it before the transaction, and on PostgreSQL
   * a deletion committed since reaches the foreign key, which would otherwise be a 500.
   */
  async share(trx: Db, orgId: string, shipmentId: string, partnerOrgId: string, at: number): Promise<void> {
    try {
      await trx
        .insertInto('shipment_partners')
        .values({ org_id: orgId, shipment_id: shipmentId, partner_org_id: partnerOrgId, created_at: at })
        .onConflict((oc) => oc.columns(['shipment_id', 'partner_org_id']).doNothing())
        .execute();
    } catch (err) {
      if (isForeignKeyViolation(err)) throw AppError.notFound('Shipment');
      throw err;
    }
  }

  async unshare(orgId: string, shipmentId: string, partnerOrgId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('shipment_partners')
      .where('org_id', '=', orgId)
      .where('shipment_id', '=', shipmentId)
      .where('partner_org_id', '=', partnerOrgId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  listShares(orgId: string, shipmentId: string) {
    return this.db
      .selectFrom('shipment_partners')
      .innerJoin('orgs', 'orgs.id', 'shipment_partners.partner_org_id')
      .select(['shipment_partners.partner_org_id', 'orgs.name', 'orgs.handle', 'shipment_partners.created_at'])
      .where('shipment_partners.org_id', '=', orgId)
      .where('shipment_partners.shipment_id', '=', shipmentId)
      .orderBy('shipment_partners.created_at')
      .execute();
  }
}
