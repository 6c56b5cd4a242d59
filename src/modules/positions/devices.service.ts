// Devices (phones, trackers) of an org and their attachment to shipments as a layer.
// A device token is shown once and stored as a SHA-256 hash, like API keys. External ids are
// unique per org; the token is the credential of every protocol, except that an id the server
// generated (long and random) also authenticates alone on the bare OsmAnd URL.
import type { DeviceRow, Layer, SourceRow } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/index.js';
import { AppError } from '../../shared/errors.js';
import { hashToken, newId, randomToken } from '../../shared/ids.js';
import { decodeCursor, page } from '../../shared/pagination.js';
import { mintSecret } from '../../shared/secrets.js';
import { fromIso, nowMs, toIso } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { hasRole, requireRole, type Actor } from '../auth/roles.js';
import type { ShipmentsService } from '../shipments/shipments.service.js';
import { DeviceTokenCache, type DeviceTokenCacheOptions } from './device-token-cache.js';
import type { DevicesRepository } from './devices.repository.js';
import type { PositionsRepository } from './positions.repository.js';

export const DEVICE_TOKEN_PREFIX = 'tld_';

/**
 * A device as listed. A generated external id authenticates alone on the bare OsmAnd URL, so it
 * is shown whole only to those who may issue the device credentials (`revealCredential`);
 * others see it shortened, enough to tell devices apart. A chosen id is no credential.
 */
export function deviceView(d: DeviceRow, revealCredential: boolean) {
  const shortened = d.external_id_generated === 1 && !revealCredential;
  return {
    id: d.id,
    name: d.name,
    external_id: shortened ? `${d.external_id.slice(0, 4)}…${d.external_id.slice(-4)}` : d.external_id,
    external_id_generated: d.external_id_generated === 1,
    created_at: toIso(d.created_at),
    last_seen_at: toIso(d.last_seen_at),
  };
}

/** How far ahead of this server's clock a `from` may lie (the caller's clock may run a little fast). */
export const ATTACH_FROM_SKEW_MS = 2 * 60_000;

export function sourceView(s: SourceRow) {
  return {
    id: s.id,
    device_id: s.device_id,
    layer: s.layer,
    segment: s.segment,
    from: toIso(s.attached_at ?? s.created_at),
    until: toIso(s.detached_at),
    created_at: toIso(s.created_at),
  };
}

/** What happened to a device's credential: its token no longer works. */
export type CredentialChange = 'token_rotated' | 'deleted';

export class DevicesService {
  private readonly sourceListeners: ((orgId: string, shipmentId: string) => void)[] = [];
  private readonly credentialListeners: ((orgId: string, deviceId: string, change: CredentialChange) => void)[] = [];
  private readonly tokenCache: DeviceTokenCache;

  constructor(
    private readonly rows: DevicesRepository,
    /** Sources (attachments to shipments) and the shipment shape a segment is checked against. */
    private readonly repo: PositionsRepository,
    private readonly shipments: ShipmentsService,
    private readonly audit: AuditService,
    private readonly publicBaseUrl: string,
    tokenCache: DeviceTokenCacheOptions = {},
  ) {
    this.tokenCache = new DeviceTokenCache(tokenCache);
  }

  /** Called when a device's old token stops working (services.ts tells the other instances). */
  onCredentialChange(listener: (orgId: string, deviceId: string, change: CredentialChange) => void): void {
    this.credentialListeners.push(listener);
  }

  /** A device's token changed or the device went, on this or another instance: byToken asks the store again. */
  forgetDevice(deviceId: string): void {
    this.tokenCache.forgetDevice(deviceId);
  }

  /** Changes on other instances may have been missed (live bus lost or back): byToken asks the store again. */
  forgetAllDevices(): void {
    this.tokenCache.clear();
  }

  /** Devices byToken holds (tests). */
  get cachedDevices(): number {
    return this.tokenCache.size;
  }

  /** Called when a shipment's sources change (the live module refreshes its viewers). */
  onSourcesChange(listener: (orgId: string, shipmentId: string) => void): void {
    this.sourceListeners.push(listener);
  }

  async create(actor: Actor, input: { name: string; external_id?: string }) {
    requireRole(actor, 'dispatcher', 'register devices');
    // A generated id is 20 random base64url characters (120 bits): it may stand alone as the
    // OsmAnd credential. An id someone chose may be guessable, so that device needs its token.
    const generated = input.external_id === undefined;
    const externalId = input.external_id ?? newGeneratedExternalId();
    const token = newDeviceToken();
    const row: DeviceRow = {
      id: newId(),
      org_id: actor.orgId,
      name: input.name,
      external_id: externalId,
      external_id_generated: generated ? 1 : 0,
      token_hash: hashToken(token),
      created_at: nowMs(),
      last_seen_at: null,
    };
    try {
      await this.rows.insertDevice(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw AppError.conflict('A device with this external_id already exists in your organization', [{ path: 'body/external_id', message: 'already in use' }]);
      throw err;
    }
    await this.audit.record(actor, 'device.created', { type: 'device', id: row.id }, { external_id: externalId });
    return { ...deviceView(row, true), ...this.credentials(token) };
  }

  /**
   * A new token (and so a new OsmAnd URL and OwnTracks password); the old one stops working. A
   * generated external id is replaced too: alone it authenticates on the bare OsmAnd URL, so a
   * phone cut off by a new token would otherwise keep sending there.
   */
  async rotateToken(actor: Actor, id: string) {
    requireRole(actor, 'dispatcher', 'issue device tokens');
    const token = newDeviceToken();
    const d = await this.rows.setDeviceCredentials(actor.orgId, id, hashToken(token), newGeneratedExternalId());
    if (!d) throw AppError.notFound('Device');
    this.credentialChanged(actor.orgId, id, 'token_rotated');
    await this.audit.record(actor, 'device.token_rotated', { type: 'device', id });
    return { ...deviceView(d, true), ...this.credentials(token) };
  }

  /** The token once, with the OsmAnd / Traccar Client server URL that carries it. */
  private credentials(token: string) {
    return { token, osmand_url: `${this.publicBaseUrl}/ingest/osmand/${token}` };
  }

  async list(actor: Actor, q: { limit?: number; cursor?: string }) {
    const limit = q.limit ?? 50;
    const p = page(await this.rows.listDevices(actor.orgId, decodeCursor(q.cursor), limit), limit, (d) => ({ at: d.created_at, id: d.id }));
    const reveal = mayIssueCredentials(actor);
    return { items: p.items.map((d) => deviceView(d, reveal)), next_cursor: p.next_cursor };
  }

  async get(actor: Actor, id: string) {
    return deviceView(await this.require(actor.orgId, id), mayIssueCredentials(actor));
  }

  async delete(actor: Actor, id: string): Promise<void> {
    requireRole(actor, 'dispatcher', 'delete devices');
    if (!(await this.rows.deleteDevice(actor.orgId, id))) throw AppError.notFound('Device');
    this.credentialChanged(actor.orgId, id, 'deleted');
    await this.audit.record(actor, 'device.deleted', { type: 'device', id });
  }

  async require(orgId: string, idOrExternal: string): Promise<DeviceRow> {
    const d = await this.rows.findDevice(orgId, idOrExternal);
    if (!d) throw AppError.notFound('Device');
    return d;
  }

  /**
   * The org's devices the items of a batch name (`device_id`), found in one query (a batch of 1,000 names was 1,000 queries,
   * one after another, whether or not the devices existed): by id, else by external id.
   */
  async named(orgId: string, items: readonly unknown[]): Promise<(ref: string) => DeviceRow | undefined> {
    const refs = new Set<string>();
    for (const item of items) {
      const ref = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).device_id : undefined;
      if (typeof ref === 'string' && ref && ref.length <= 200) refs.add(ref);
    }
    const byId = new Map<string, DeviceRow>();
    const byExternalId = new Map<string, DeviceRow>();
    for (const d of await this.rows.findDevices(orgId, [...refs])) {
      byId.set(d.id, d);
      byExternalId.set(d.external_id, d);
    }
    return (ref) => byId.get(ref) ?? byExternalId.get(ref);
  }

  /** The device a token belongs to (bearer, OsmAnd URL path, OwnTracks password), or null. */
  async byToken(token: string): Promise<DeviceRow | null> {
    if (!token.startsWith(DEVICE_TOKEN_PREFIX)) return null;
    const hash = hashToken(token);
    const now = nowMs();
    const cached = this.tokenCache.get(hash, now);
    if (cached) return cached;
    // An unknown token is not kept: a device created meanwhile, or a guess, is read afresh each time.
    const ticket = this.tokenCache.ticket();
    const found = await this.rows.findDeviceByTokenHash(hash);
    if (!found) return null;
    this.tokenCache.set(hash, found, ticket, now);
    return found;
  }

  /**
   * OwnTracks-style credentials: the token finds the device, and the user must be that device's
   * external id (or id). A wrong pair is as unknown as a wrong token.
   */
  async authenticate(user: string, token: string): Promise<DeviceRow | null> {
    const d = await this.byToken(token);
    return d && (user === d.external_id || user === d.id) ? d : null;
  }

  /**
   * The bare OsmAnd URL: the external id alone is the credential, so only generated ids count.
   * External ids are unique per org, and no org can choose a generated one, so two matches
   * cannot happen in practice; if they ever did, the answer is "unknown", never a guess.
   */
  async byBareExternalId(externalId: string): Promise<DeviceRow | null> {
    const found = await this.rows.findGeneratedByExternalId(externalId, 2);
    return found.length === 1 ? found[0] : null;
  }

  // ---- sources ----

  /**
   * Attaches a device as a layer from `from` (default: now; may lie in the past, e.g. for an
   * import, but not in the future): the device shows on this shipment only from then on.
   */
  async attach(actor: Actor, shipmentId: string, input: { device_id: string; layer: Layer; segment?: number | null; from?: string }) {
    requireRole(actor, 'dispatcher', 'attach devices to shipments');
    await this.shipments.requireOwn(actor, shipmentId);
    const now = nowMs();
    const from = fromIso(input.from) ?? now;
    if (from > now + ATTACH_FROM_SKEW_MS) throw AppError.validation('from must not be in the future', [{ path: 'body/from', message: 'in the future' }]);
    const device = await this.rows.findDevice(actor.orgId, input.device_id);
    if (!device) throw AppError.validation('No device with this id in your organization', [{ path: 'body/device_id', message: 'unknown device' }]);
    const segment = input.segment ?? null;
    if (segment !== null) {
      const shape = await this.repo.shipmentShape(actor.orgId, shipmentId);
      if (!shape?.segments.some((s) => s.seq === segment)) {
        throw AppError.validation('No segment with this index', [{ path: 'body/segment', message: `the shipment has ${shape?.segments.length ?? 0} segments` }]);
      }
    }
    const row: SourceRow = {
      id: newId(),
      org_id: actor.orgId,
      shipment_id: shipmentId,
      device_id: device.id,
      layer: input.layer,
      segment,
      created_at: now,
      attached_at: Math.min(from, now),
      detached_at: null,
    };
    await this.repo.insertSource(row);
    await this.audit.record(actor, 'shipment.source_attached', { type: 'shipment', id: shipmentId }, { device_id: device.id, layer: input.layer, segment, from: toIso(row.attached_at) });
    this.sourcesChanged(actor.orgId, shipmentId);
    return sourceView(row);
  }

  async listSources(actor: Actor, shipmentId: string, q: { limit?: number; cursor?: string }) {
    await this.shipments.requireOwn(actor, shipmentId);
    const limit = q.limit ?? 50;
    const p = page(await this.repo.pageSources(actor.orgId, shipmentId, decodeCursor(q.cursor), limit), limit, (s) => ({ at: s.created_at, id: s.id }));
    return { items: p.items.map(sourceView), next_cursor: p.next_cursor };
  }

  /**
   * Ends the attachment now. The row stays (listed with its `until`), so what the shipment showed
   * stays explainable; attaching the device again opens a new window. Detaching twice changes nothing.
   */
  async detach(actor: Actor, shipmentId: string, sourceId: string): Promise<void> {
    requireRole(actor, 'dispatcher', 'detach devices from shipments');
    await this.shipments.requireOwn(actor, shipmentId);
    const row = await this.repo.detachSource(actor.orgId, shipmentId, sourceId, nowMs());
    if (!row) throw AppError.notFound('Source');
    await this.audit.record(actor, 'shipment.source_detached', { type: 'shipment', id: shipmentId }, { source_id: sourceId, until: toIso(row.detached_at) });
    this.sourcesChanged(actor.orgId, shipmentId);
  }

  /**
   * The device through which a partner org pushes positions to a shipment shared with it:
   * one per (shipment, partner, layer), owned by the shipment's org and attached on first use.
   */
  async partnerDevice(ownerOrgId: string, shipmentId: string, shipmentCreatedAt: number, partnerOrgId: string, layer: Layer): Promise<DeviceRow> {
    const name = `partner:${partnerOrgId}:${layer}`;
    const found = await this.repo.findAttachedByName(ownerOrgId, shipmentId, name);
    if (found) return found;
    const now = nowMs();
    // Random external id and token: nobody can speak OsmAnd or OwnTracks as a partner device.
    const row: DeviceRow = {
      id: newId(),
      org_id: ownerOrgId,
      name,
      external_id: `partner-${randomToken(16)}`,
      external_id_generated: 0,
      token_hash: hashToken(randomToken(32)),
      created_at: now,
      last_seen_at: null,
    };
    await this.rows.insertDevice(row);
    // The device exists for this shipment alone and carries no other trip, so its window opens
    // with the shipment's creation less a day: a partner's first batch may hold positions recorded
    // before the shipment was entered here (the shipment's life and segments still bound them).
    const from = shipmentCreatedAt - 86_400_000;
    await this.repo.insertSource({ id: newId(), org_id: ownerOrgId, shipment_id: shipmentId, device_id: row.id, layer, segment: null, created_at: now, attached_at: from, detached_at: null });
    this.sourcesChanged(ownerOrgId, shipmentId);
    return row;
  }

  /** Right after the change is stored: this instance drops the device before anything else can ask. */
  private credentialChanged(orgId: string, deviceId: string, change: CredentialChange): void {
    this.tokenCache.forgetDevice(deviceId);
    for (const l of this.credentialListeners) l(orgId, deviceId, change);
  }

  private sourcesChanged(orgId: string, shipmentId: string): void {
    for (const l of this.sourceListeners) l(orgId, shipmentId);
  }
}

/** Who may register devices and issue them tokens (create, rotateToken): dispatchers and above. */
const mayIssueCredentials = (actor: Actor): boolean => hasRole(actor, 'dispatcher');

// Minted (not just random) so a reply kept for Idempotency-Key replays leaves it out.
const newDeviceToken = (): string => `${DEVICE_TOKEN_PREFIX}${mintSecret(24)}`;
/** 20 random base64url characters (120 bits): long enough to stand alone on the bare OsmAnd URL. */
const newGeneratedExternalId = (): string => `dev-${randomToken(15)}`;
