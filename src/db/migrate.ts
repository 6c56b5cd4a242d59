// One ordered list of migrations, applied on both stores. Forward-only. Each runs in a transaction
// with its record in kysely_migration, so a migration that fails or is cut off (a crash, a full
// disk) leaves nothing half-done and runs again whole on the next start: Kysely does this itself
// on PostgreSQL, and here on SQLite, which has transactional DDL too but which Kysely treats as if
// it had not. The exception: SQLite table rebuilds that turn foreign keys off (relax-unique.ts),
// which only works outside a transaction; those migrations keep their own.
import { Kysely, Migrator, SqliteAdapter, SqliteDialect, sql, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Store } from './index.js';
import type { Dialect } from './dialect.js';
import { init } from './migrations/20261125_0001_init.js';
import { links } from './migrations/20261125_0002_links.js';
import { positionsIndexes } from './migrations/20261125_0003_positions.js';
import { notificationsIndexes } from './migrations/20261125_0004_notifications.js';
import { usersPerOrg } from './migrations/20261201_0701_users_per_org.js';
import { apiKeyOwner } from './migrations/20261201_0702_api_key_owner.js';
import { idempotencyPerCredential } from './migrations/20261202_0131_idempotency_per_credential.js';
import { loginFailures } from './migrations/20261202_0132_login_failures.js';
import { partnerInvitations } from './migrations/20261203_0020_partner_invitations.js';
import { devicesPerOrg } from './migrations/20261203_0703_devices_per_org.js';
import { positionsPartitions } from './migrations/20261204_0190_positions_partitions.js';
import { outboxClaimToken } from './migrations/20261204_1401_outbox_claim_token.js';
import { ingestTokens } from './migrations/20261205_1705_ingest_tokens.js';
import { ingestTokenOwner } from './migrations/20261205_1706_ingest_token_owner.js';
import { sourceWindows } from './migrations/20261205_1801_source_windows.js';
import { outboxOrgSent } from './migrations/20261206_0101_outbox_org_sent.js';
import { outboxShipmentCreated } from './migrations/20261206_0102_outbox_shipment_created.js';
import { auditLogTargetCreated } from './migrations/20261206_0103_audit_log_target_created.js';
import { historyFilterIndexes } from './migrations/20261206_0104_history_filter_indexes.js';
import { shipmentChangedAt } from './migrations/20261206_0105_shipment_changed_at.js';
import { outboxWebhookId } from './migrations/20261206_0106_outbox_webhook_id.js';

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '20261125_0001_init': init(dialect),
    '20261125_0002_links': links,
    '20261125_0003_positions': positionsIndexes,
    '20261125_0004_notifications': notificationsIndexes,
    '20261201_0701_users_per_org': usersPerOrg(dialect),
    '20261201_0702_api_key_owner': apiKeyOwner,
    '20261202_0131_idempotency_per_credential': idempotencyPerCredential,
    '20261202_0132_login_failures': loginFailures,
    '20261203_0020_partner_invitations': partnerInvitations,
    '20261203_0703_devices_per_org': devicesPerOrg(dialect),
    '20261204_0190_positions_partitions': positionsPartitions(dialect),
    '20261204_1401_outbox_claim_token': outboxClaimToken,
    '20261205_1705_ingest_tokens': ingestTokens,
    '20261205_1706_ingest_token_owner': ingestTokenOwner,
    '20261205_1801_source_windows': sourceWindows,
    '20261206_0101_outbox_org_sent': outboxOrgSent,
    '20261206_0102_outbox_shipment_created': outboxShipmentCreated,
    '20261206_0103_audit_log_target_created': auditLogTargetCreated,
    '20261206_0104_history_filter_indexes': historyFilterIndexes,
    '20261206_0105_shipment_changed_at': shipmentChangedAt,
    '20261206_0106_outbox_webhook_id': outboxWebhookId(dialect),
  };
}

class InCodeProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

/** SQLite migrations that rebuild a table with foreign keys off, which a transaction would ignore. */
const OUTSIDE_TRANSACTION = new Set(['20261201_0701_users_per_org', '20261203_0703_devices_per_org']);

/** Kysely's SQLite adapter, owning up to the transactional DDL SQLite has. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalSqliteAdapter();
  }
}

function migrator(store: Store): Migrator {
  return new Migrator({ db: store.db, provider: new InCodeProvider(store.dialect) });
}

/**
 * Applies pending migrations up to and including `target` (all when null), each in a transaction
 * with its record, except OUTSIDE_TRANSACTION ones on SQLite. Consecutive ones share one
 * transaction: Kysely's migrateTo runs a whole step in one on a transactional adapter.
 */
async function applyMigrations(store: Store, target: string | null): Promise<MigrationResultSet['results']> {
  const run = async (m: Migrator, name: string | null) => {
    const { error, results } = name === null ? await m.migrateToLatest() : await m.migrateTo(name);
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return results ?? [];
  };
  if (store.dialect === 'postgres' || !store.sqlite) return run(migrator(store), target);
  const plain = migrator(store);
  const all = await plain.getMigrations();
  const end = target === null ? all.length - 1 : all.findIndex((m) => m.name === target);
  if (target !== null && end < 0) throw new Error(`no migration named ${target}`);
  const pending = all.slice(0, end + 1).filter((m) => !m.executedAt).map((m) => m.name);
  if (!pending.length) return [];
  // A second Kysely over the same handle, for the migrations only (nothing else runs meanwhile).
  // Never destroyed: that would close the store's handle.
  const transactional = new Migrator({ db: new Kysely<unknown>({ dialect: new TransactionalSqliteDialect({ database: store.sqlite }) }), provider: new InCodeProvider(store.dialect) });
  const results: NonNullable<MigrationResultSet['results']> = [];
  for (let i = 0; i < pending.length; ) {
    let j = i;
    while (j < pending.length && !OUTSIDE_TRANSACTION.has(pending[j])) j++;
    if (j > i) results.push(...(await run(transactional, pending[j - 1])));
    if (j < pending.length) results.push(...(await run(plain, pending[j])));
    i = j + 1;
  }
  return results;
}

export async function migrateToLatest(store: Store): Promise<MigrationResultSet['results']> {
  // A newer version already migrated this database (a rolling upgrade, or a rollback of the
  // code). Migrations only ever add (see migrations.test.ts), so this version keeps serving the
  // wider schema as long as it has every migration it knows itself.
  const ahead = await migrationsAhead(store);
  if (ahead.length) {
    const missing = await pendingMigrations(store);
    if (missing.length) throw new Error(`the database has migrations of a newer version (${ahead.join(', ')}) but lacks ${missing.join(', ')}`);
    return [];
  }
  return applyMigrations(store, null);
}

/** Applies migrations up to and including `name` (tests of an upgrade from an older schema). */
export async function migrateTo(store: Store, name: string): Promise<void> {
  await applyMigrations(store, name);
}

/** Names of migrations not yet applied, without applying them (`tracklink migrate --dry-run`). */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const all = await migrator(store).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

/** Every migration this version knows, in order (restore refuses a backup with others). */
export function knownMigrations(dialect: Dialect): string[] {
  return Object.keys(migrations(dialect)).sort();
}

/** Migrations recorded in the database that this version does not know: a newer version ran them. */
export async function migrationsAhead(store: Store): Promise<string[]> {
  let executed: string[];
  try {
    executed = (await sql<{ name: string }>`select name from kysely_migration`.execute(store.db)).rows.map((r) => r.name);
  } catch {
    return []; // a fresh database has no migration table yet
  }
  const known = new Set(knownMigrations(store.dialect));
  return executed.filter((n) => !known.has(n)).sort();
}
