// The whole domain model of PRODUCT.md. Portable: text ids, bigint epoch-ms times, JSON as text,
// 0/1 integers for booleans. Never edit once landed: add a new migration instead.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export function init(dialect: Dialect) {
  const autoId = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('orgs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('brand_color', 'text')
        .addColumn('logo_file', 'text')
        .addColumn('billing_state', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('sharing_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('auto_create_links', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('link_inactivity_days', 'integer', (c) => c.notNull().defaultTo(30))
        .addColumn('position_retention_days', 'integer', (c) => c.notNull().defaultTo(90))
        .addColumn('link_template', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('disabled_at', 'bigint')
        .execute();
      await db.schema.createIndex('users_org').on('users').column('org_id').execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('api_keys_org').on('api_keys').column('org_id').execute();

      await db.schema
        .createTable('shipments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('title', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('stages', 'text', (c) => c.notNull())
        .addColumn('current_stage', 'integer')
        .addColumn('eta', 'bigint')
        .addColumn('eta_source', 'text')
        .addColumn('eta_calculated_at', 'bigint')
        .addColumn('customer_reference', 'text')
        .addColumn('container_number', 'text')
        .addColumn('transport_service', 'text')
        .addColumn('custom_fields', 'text', (c) => c.notNull())
        .addColumn('extra_fields', 'text', (c) => c.notNull())
        .addColumn('internal', 'text', (c) => c.notNull())
        .addColumn('hero_photo_id', 'text')
        .addColumn('pod_file', 'text')
        .addColumn('pod_content_type', 'text')
        .addColumn('pod_signed_by', 'text')
        .addColumn('pod_captured_at', 'bigint')
        .addColumn('delivered_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('shipments_org_reference', ['org_id', 'reference'])
        .execute();
      await db.schema.createIndex('shipments_org_created').on('shipments').columns(['org_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('shipments_org_status').on('shipments').columns(['org_id', 'status']).execute();

      await db.schema
        .createTable('shipment_partners')
        .addColumn('shipment_id', 'text', (c) => c.notNull().references('shipments.id').onDelete('cascade'))
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('partner_org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('shipment_partners_pk', ['shipment_id', 'partner_org_id'])
        .execute();
      await db.schema.createIndex('shipment_partners_partner').on('shipment_partners').column('partner_org_id').execute();

      const child = (name: string) =>
        db.schema
          .createTable(name)
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
          .addColumn('shipment_id', 'text', (c) => c.notNull().references('shipments.id').onDelete('cascade'));

      await child('stops')
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('address', 'text')
        .addColumn('lat', 'double precision')
        .addColumn('lon', 'double precision')
        .addColumn('reference', 'text')
        .addColumn('window_start', 'bigint')
        .addColumn('window_end', 'bigint')
        .addColumn('eta', 'bigint')
        .addColumn('arrived_at', 'bigint')
        .addColumn('departed_at', 'bigint')
        .addColumn('contact_name', 'text')
        .addColumn('contact_email', 'text')
        .execute();
      await child('segments')
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('from_stop', 'integer')
        .addColumn('to_stop', 'integer')
        .execute();
      await child('cargo_lines')
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('quantity', 'double precision')
        .addColumn('packaging', 'text')
        .addColumn('weight_kg', 'double precision')
        .execute();
      await child('pallet_scans')
        .addColumn('cargo_index', 'integer')
        .addColumn('stop_index', 'integer')
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('code', 'text')
        .addColumn('place', 'text')
        .addColumn('scanned_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await child('photos')
        .addColumn('file', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('caption', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await child('notes')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('author', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await child('shipment_contacts')
        .addColumn('name', 'text')
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await child('shipment_events')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      for (const t of ['stops', 'segments', 'cargo_lines', 'pallet_scans', 'photos', 'notes', 'shipment_contacts', 'shipment_events']) {
        await db.schema.createIndex(`${t}_shipment`).on(t).column('shipment_id').execute();
      }

      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull().unique())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint')
        .execute();
      await db.schema.createIndex('devices_org').on('devices').column('org_id').execute();

      await child('sources')
        .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
        .addColumn('layer', 'text', (c) => c.notNull())
        .addColumn('segment', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sources_shipment').on('sources').column('shipment_id').execute();
      await db.schema.createIndex('sources_device').on('sources').column('device_id').execute();

      await db.schema
        .createTable('positions')
        .addColumn('id', autoId, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
        .addColumn('recorded_at', 'bigint', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('lat', 'double precision', (c) => c.notNull())
        .addColumn('lon', 'double precision', (c) => c.notNull())
        .addColumn('accuracy_m', 'double precision')
        .addColumn('speed_mps', 'double precision')
        .addColumn('heading_deg', 'double precision')
        .addColumn('altitude_m', 'double precision')
        .addColumn('battery_pct', 'double precision')
        .execute();
      // Unique (device, recorded_at) is the duplicate rule of the API and the history index at once.
      await db.schema.createIndex('positions_device_time').on('positions').columns(['device_id', 'recorded_at']).unique().execute();

      await db.schema
        .createTable('tracking_links')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('shipment_id', 'text', (c) => c.notNull().references('shipments.id').onDelete('cascade'))
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('recipient_name', 'text')
        .addColumn('recipient_email', 'text')
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_by', 'text')
        .addColumn('revoked_at', 'bigint')
        .addColumn('replaced_by', 'text')
        .addColumn('first_viewed_at', 'bigint')
        .addColumn('last_viewed_at', 'bigint')
        .addColumn('view_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expired_notified_at', 'bigint')
        .execute();
      await db.schema.createIndex('tracking_links_org').on('tracking_links').columns(['org_id', 'created_at']).execute();
      await db.schema.createIndex('tracking_links_shipment').on('tracking_links').column('shipment_id').execute();
      // At most one active general (recipient-less) link per shipment, enforced by the store itself.
      await db.schema
        .createIndex('tracking_links_one_general')
        .on('tracking_links')
        .column('shipment_id')
        .unique()
        .where(sql.ref('state'), '=', 'active')
        .where(sql.ref('recipient_email'), 'is', null)
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_label', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_org_time').on('audit_log').columns(['org_id', 'created_at']).execute();

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer', (c) => c.notNull())
        .addColumn('response_body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['org_id', 'key'])
        .execute();

      await db.schema
        .createTable('email_templates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('html', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('contact_tasks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('status', 'text')
        .addColumn('eta_change_minutes', 'integer')
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('recipients', 'text', (c) => c.notNull())
        .addColumn('template_id', 'text', (c) => c.notNull().references('email_templates.id'))
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('task_id', 'text')
        .addColumn('shipment_id', 'text')
        .addColumn('event_id', 'text')
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_until', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('sent_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

      await db.schema
        .createTable('webhooks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
