// Devices (phones, trackers) of an org and their attachment to shipments as a layer.
// A device token is shown once and stored as a SHA-256 hash, like API keys.
import type { DeviceRow, Layer, SourceRow } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/index.js';
import { AppError } from '../../shared/errors.js';
import { hashToken, newId, randomToken, safeEqual } from '../../shared/ids.js';
import { mintSecret } from '../../shared/secrets.js';
import { nowMs, toIso } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireRole, type Actor } from '../auth/roles.js';
import type { ShipmentsService } from '../shipments/shipments.service.js';
import type { PositionsRepository } from './positions.repository.js';

export const DEVICE_TOKEN_PREFIX = 'tld_';

export function deviceView(d: DeviceRow) {
  return { id: d.id, name: d.name, external_id: d.external_id, created_at: toIso(d.created_at), last_seen_at: toIso(d.last_seen_at) };
}

export function sourceView(s: SourceRow) {
  return { id: s.id, device_id: s.device_id, layer: s.layer, segment: s.segment, created_at: toIso(s.created_at) };
}

export class DevicesService {
  private readonly sourceListeners: ((orgId: string, shipmentId: string) => void)[] = [];

  constructor(
    private readonly repo: PositionsRepository,
    private readonly shipments: ShipmentsService,
    private readonly audit: AuditService,
  ) {}

  /** Called when a shipment's sources change (the live module refreshes its viewers). */
  onSourcesChange(listener: (orgId: string, shipmentId: string) => void): void {
    this.sourceListeners.push(listener);
  }

  async create(actor: Actor, input: { name: string; external_id?: string }) {
    requireRole(actor, 'dispatcher', 'register devices');
    // The external id doubles as the OsmAnd credential, so the default one is unguessable.
    const externalId = input.external_id ?? `dev-${randomToken(12)}`;
    const token = `${DEVICE_TOKEN_PREFIX}${mintSecret(24)}`;
    const row: DeviceRow = { id: newId(), org_id: actor.orgId, name: input.name, external_id: externalId, token_hash: hashToken(token), created_at: nowMs(), last_seen_at: null };
    try {
      await this.repo.insertDevice(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw AppError.conflict('A device with this external_id already exists', [{ path: 'body/external_id', message: 'already in use' }]);
      throw err;
    }
    await this.audit.record(actor, 'device.created', { type: 'device', id: row.id }, { external_id: externalId });
    return { ...deviceView(row), token };
  }

  async list(actor: Actor) {
    return { items: (await this.repo.listDevices(actor.orgId)).map(deviceView), next_cursor: null };
  }

  async get(actor: Actor, id: string) {
    return deviceView(await this.require(actor.orgId, id));
  }

  async delete(actor: Actor, id: string): Promise<void> {
    requireRole(actor, 'dispatcher', 'delete devices');
    if (!(await this.repo.deleteDevice(actor.orgId, id))) throw AppError.notFound('Device');
    await this.audit.record(actor, 'device.deleted', { type: 'device', id });
  }

  async require(orgId: string, idOrExternal: string): Promise<DeviceRow> {
    const d = await this.repo.findDevice(orgId, idOrExternal);
    if (!d) throw AppError.notFound('Device');
    return d;
  }

  /** The device a bearer token belongs to, or null. */
  async byToken(token: string): Promise<DeviceRow | null> {
    if (!token.startsWith(DEVICE_TOKEN_PREFIX)) return null;
    return (await this.repo.findDeviceByTokenHash(hashToken(token))) ?? null;
  }

  /** OwnTracks-style credentials: the external id and the device token. */
  async authenticate(externalId: string, token: string): Promise<DeviceRow | null> {
    const d = await this.repo.findDeviceByExternalId(externalId);
    return d && safeEqual(hashToken(token), d.token_hash) ? d : null;
  }

  async byExternalId(externalId: string): Promise<DeviceRow | null> {
    return (await this.repo.findDeviceByExternalId(externalId)) ?? null;
  }

  // ---- sources ----

  async attach(actor: Actor, shipmentId: string, input: { device_id: string; layer: Layer; segment?: number | null }) {
    requireRole(actor, 'dispatcher', 'attach devices to shipments');
    await this.shipments.requireOwn(actor, shipmentId);
    const device = await this.repo.findDevice(actor.orgId, input.device_id);
    if (!device) throw AppError.validation('No device with this id in your organization', [{ path: 'body/device_id', message: 'unknown device' }]);
    const segment = input.segment ?? null;
    if (segment !== null) {
      const shape = await this.repo.shipmentShape(actor.orgId, shipmentId);
      if (!shape?.segments.some((s) => s.seq === segment)) {
        throw AppError.validation('No segment with this index', [{ path: 'body/segment', message: `the shipment has ${shape?.segments.length ?? 0} segments` }]);
      }
    }
    const row: SourceRow = { id: newId(), org_id: actor.orgId, shipment_id: shipmentId, device_id: device.id, layer: input.layer, segment, created_at: nowMs() };
    await this.repo.insertSource(row);
    await this.audit.record(actor, 'shipment.source_attached', { type: 'shipment', id: shipmentId }, { device_id: device.id, layer: input.layer, segment });
    this.sourcesChanged(actor.orgId, shipmentId);
    return sourceView(row);
  }

  async listSources(actor: Actor, shipmentId: string) {
    await this.shipments.requireOwn(actor, shipmentId);
    return { items: (await this.repo.listSources(actor.orgId, shipmentId)).map(sourceView) };
  }

  async detach(actor: Actor, shipmentId: string, sourceId: string): Promise<void> {
    requireRole(actor, 'dispatcher', 'detach devices from shipments');
    await this.shipments.requireOwn(actor, shipmentId);
    if (!(await this.repo.deleteSource(actor.orgId, shipmentId, sourceId))) throw AppError.notFound('Source');
    await this.audit.record(actor, 'shipment.source_detached', { type: 'shipment', id: shipmentId }, { source_id: sourceId });
    this.sourcesChanged(actor.orgId, shipmentId);
  }

  /**
   * The device through which a partner org pushes positions to a shipment shared with it:
   * one per (shipment, partner, layer), owned by the shipment's org and attached on first use.
   */
  async partnerDevice(ownerOrgId: string, shipmentId: string, partnerOrgId: string, layer: Layer): Promise<DeviceRow> {
    const name = `partner:${partnerOrgId}:${layer}`;
    const found = await this.repo.findAttachedByName(ownerOrgId, shipmentId, name);
    if (found) return found;
    const now = nowMs();
    // Random external id and token: nobody can speak OsmAnd or OwnTracks as a partner device.
    const row: DeviceRow = { id: newId(), org_id: ownerOrgId, name, external_id: `partner-${randomToken(16)}`, token_hash: hashToken(randomToken(32)), created_at: now, last_seen_at: null };
    await this.repo.insertDevice(row);
    await this.repo.insertSource({ id: newId(), org_id: ownerOrgId, shipment_id: shipmentId, device_id: row.id, layer, segment: null, created_at: now });
    this.sourcesChanged(ownerOrgId, shipmentId);
    return row;
  }

  private sourcesChanged(orgId: string, shipmentId: string): void {
    for (const l of this.sourceListeners) l(orgId, shipmentId);
  }
}
