// One ordered list of migrations, applied on both stores. Forward-only.
import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
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
  };
}

class InCodeProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

function migrator(store: Store): Migrator {
  return new Migrator({ db: store.db, provider: new InCodeProvider(store.dialect) });
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
  const { error, results } = await migrator(store).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results;
}

/** Applies migrations up to and including `name` (tests of an upgrade from an older schema). */
export async function migrateTo(store: Store, name: string): Promise<void> {
  const { error } = await migrator(store).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
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
