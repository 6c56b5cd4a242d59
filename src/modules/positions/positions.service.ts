// Ingestion (validation per position, duplicates, durability) and reading positions: the
// owner's view of a shipment's track and the public, scope-enforced current positions and history.
import type { DeviceRow, Layer, NewPosition } from './types.js';
import { storeProblem } from '../../db/health.js';
import { AppError } from '../../shared/errors.js';
import { fromIso, nowMs, toIso } from '../../shared/time.js';
import { requireRole, type Actor } from '../auth/roles.js';
import type { ShipmentsService } from '../shipments/shipments.service.js';
import type { DeviceGuard } from './device-guard.js';
import type { DevicesService } from './devices.service.js';
import { downsample } from './downsample.js';
import { normalize, positionRow, type CleanPosition, type RawPosition } from './normalize.js';
import type { PositionScope, PublicHistory, PublicPosition } from './positions.contract.js';
import type { PositionsRepository, ShipmentShape, StoredPoint, WriteGuard } from './positions.repository.js';
import { parseOsmandParams, parseTraccarJson } from './protocols/osmand.js';
import { basicCredentials, parseOwnTracks } from './protocols/owntracks.js';
import { buildVisibleWindows, finite, type VisibleWindows, type Window } from './scope.js';
import { collectPoints, collectTracks } from './track-reader.js';
import { partnerPositionScope } from '../links/partner-view.js';
import { partnerTrack } from './partner-track.js';
import { PositionWriter } from './position-writer.js';

export const MAX_BATCH = 1000;
export const MAX_HISTORY_POINTS = 2000;
/** Rows read per layer before downsampling; beyond this the oldest part is cut, not the reply. */
const MAX_READ = 200_000;
/**
 * Above this many points in a window, a history reads a time-bucketed sample (track-reader.ts):
 * the first point of each of `buckets` equal time spans, from which downsample() keeps
 * MAX_HISTORY_POINTS. Two samples per kept point: the sample's cost follows its buckets (one index
 * seek and one row read each: 30 days at 1 per 10 s took 2.8x a count(*) at 8,000 buckets, 1.4x at
 * 4,000), and a choice between two evenly spaced real points per 2,000th of the track shows the
 * same line at any zoom that fits the track.
 */
const SAMPLE = { above: 4 * MAX_HISTORY_POINTS, buckets: 2 * MAX_HISTORY_POINTS };

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
}

/** Who is pushing: an org's API key (any of its devices) or one device's own token. */
export type IngestCaller = { kind: 'org'; orgId: string } | { kind: 'device'; device: DeviceRow };

export type IngestListener = (orgId: string, inserted: StoredPoint[]) => void;

/** What ingestion reports to /metrics (services.ts). */
export interface IngestCounters {
  countIngested(count: number, source: string): void;
  /** Transactions that stored positions (on SQLite, concurrent requests share one). */
  countPositionCommits(commits: number): void;
}

interface CurrentEntry {
  value: PublicPosition[];
  /** positionsChanged of every entry's device, and allChanged, when the value was read. */
  stamps: number[];
  all: number;
}

const DEVICE_UNKNOWN = 'Unknown device or token (a device with an external id of your choosing sends to /ingest/osmand/<device token>)';

/**
 * The one answer for every failed device authentication on the OsmAnd endpoints (unknown id,
 * wrong token, an id someone chose on the bare URL), in the contract's status: 400 for query
 * and form requests, 404 for the JSON body. One identical body per format, so it tells a prober
 * nothing about which of those it was.
 */
export const deviceUnknown = (isJson: boolean): AppError => (isJson ? new AppError('not_found', DEVICE_UNKNOWN) : AppError.validation(DEVICE_UNKNOWN));

export class PositionsService {
  private readonly ingestListeners: IngestListener[] = [];
  /**
   * A counter per device, moved whenever positions of that device arrive on any instance (live
   * hub messages) or are stored here; current positions read for a scope stay valid until one
   * of its devices moves. A scope's windows depend only on the shipment, whose changes bring a
   * new VisibleWindows object, so the cache is keyed on that object.
   */
  private readonly positionsChanged = new Map<string, number>();
  private allChanged = 0;
  private readonly current = new WeakMap<VisibleWindows, CurrentEntry>();
  private windowsByScope = new WeakMap<PositionScope, Promise<VisibleWindows>>();
  private readonly writer: PositionWriter;

  constructor(
    private readonly repo: PositionsRepository,
    private readonly devices: DevicesService,
    private readonly shipments: ShipmentsService,
    private readonly guard: DeviceGuard,
    private readonly counters: IngestCounters = { countIngested: () => {}, countPositionCommits: () => {} },
    /** Where the store itself announces stored positions (the live hub's positionChannel), if anywhere. */
    announceOn: string | null = null,
  ) {
    this.writer = new PositionWriter(repo, (n) => counters.countPositionCommits(n), announceOn ?? undefined);
  }

  /** A shipment's sources changed: its visible windows are worked out again (services.ts wires it). */
  forgetVisibleWindows(): void {
    this.windowsByScope = new WeakMap();
  }

  /**
   * readVisibleWindows(scope), worked out once per scope object. A scope belongs to one cached link
   * resolution, and the windows depend on the shipment's stops, segments and sources, whose
   * changes all load a new resolution; so the page, its JSON and every live viewer of a link
   * share one VisibleWindows instead of reading the shipment's shape each. A resolution's `shape`
   * is as current as its scope: anything that changes the sources drops the resolution too (services.ts).
   */
  visibleWindows(scope: PositionScope, shape?: ShipmentShape): Promise<VisibleWindows> {
    let visible = this.windowsByScope.get(scope);
    if (!visible) {
      // A link's public load brings the shape along (no query); anything else reads it.
      visible = shape ? Promise.resolve(buildVisibleWindows(scope, shape)) : this.readVisibleWindows(scope);
      this.windowsByScope.set(scope, visible);
      const made = visible;
      visible.catch(() => {
        if (this.windowsByScope.get(scope) === made) this.windowsByScope.delete(scope);
      });
    }
    return visible;
  }

  /** After-commit hook: live fan-out and ETA. */
  onIngest(listener: IngestListener): void {
    this.ingestListeners.push(listener);
  }

  // ---- ingestion ----

  /**
   * `POST /api/v1/positions` accepts an org's API key (dispatcher or higher) or a device token;
   * a device token counts against the device's request budget and a wrong one against the IP's.
   */
  async caller(actor: Actor | null, bearer: string | null, ip: string): Promise<IngestCaller> {
    if (actor) {
      requireRole(actor, 'dispatcher', 'send positions');
      return { kind: 'org', orgId: actor.orgId };
    }
    if (!bearer) throw new AppError('unauthorized', 'Send Authorization: Bearer <api key or device token>');
    await this.guard.checkFailures(ip, bearer);
    const device = await this.devices.byToken(bearer);
    if (!device) {
      await this.guard.authFailed(ip, bearer);
      throw new AppError('unauthorized', 'Send Authorization: Bearer <api key or device token>');
    }
    await this.guard.admit(device.id);
    return { kind: 'device', device };
  }

  /** `POST /api/v1/positions`: every item is checked on its own; good ones are stored. */
  async ingestBatch(caller: IngestCaller, items: unknown[], source = 'api', guard?: WriteGuard): Promise<IngestResult> {
    if (items.length > MAX_BATCH) throw new AppError('payload_too_large', `At most ${MAX_BATCH} positions per request; got ${items.length}`);
    const now = nowMs();
    const orgId = caller.kind === 'org' ? caller.orgId : caller.device.org_id;
    const rejected: IngestResult['rejected'] = [];
    const deviceOf = caller.kind === 'org' ? await this.devices.named(orgId, items) : null;
    const rows: NewPosition[] = [];
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        rejected.push({ index, error: 'expected an object' });
        continue;
      }
      const raw = item as Record<string, unknown>;
      const ref = raw.device_id;
      let device: DeviceRow | null;
      if (caller.kind === 'device') {
        device = ref === undefined || ref === caller.device.id || ref === caller.device.external_id ? caller.device : null;
        if (!device) {
          rejected.push({ index, error: 'device_id: a device token may only send its own positions' });
          continue;
        }
      } else {
        if (typeof ref !== 'string' || !ref || ref.length > 200) {
          rejected.push({ index, error: 'device_id: required' });
          continue;
        }
        device = deviceOf?.(ref) ?? null;
        if (!device) {
          rejected.push({ index, error: 'device_id: unknown device' });
          continue;
        }
      }
      const clean = normalize(raw as unknown as RawPosition, now);
      if (typeof clean === 'string') rejected.push({ index, error: clean });
      else rows.push(positionRow(orgId, device.id, now, clean));
    }
    const inserted = await this.store(orgId, rows, now, source, guard);
    return { accepted: inserted.length, duplicates: rows.length - inserted.length, rejected };
  }

  /** One position from a protocol endpoint; 'duplicate' when already stored. */
  private async ingestOne(device: DeviceRow, clean: CleanPosition, now: number, source: string): Promise<'stored' | 'duplicate'> {
    const inserted = await this.store(device.org_id, [positionRow(device.org_id, device.id, now, clean)], now, source);
    return inserted.length ? 'stored' : 'duplicate';
  }

  /**
   * `/ingest/osmand` and `/ingest/osmand/<token>`: query/form parameters, or the Traccar Client
   * JSON body. The position is checked before the device, so a bad value answers the same 400
   * whoever sends it; every way of not being a device (unknown id, wrong token, an id someone
   * chose on the bare URL) then answers one identical 400, or 404 for JSON (deviceUnknown).
   * With a token, the token is the device: an `id` that names another device is refused, so two phones set up
   * with one URL show up as a mistake instead of one track jumping between them.
   */
  async ingestOsmand(req: { token?: string; params: Record<string, unknown>; body: unknown; isJson: boolean; ip: string }): Promise<void> {
    // Only a parsed form is a form: a Buffer spread into parameters would be one key per byte.
    const form = typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) && !Buffer.isBuffer(req.body) ? (req.body as Record<string, unknown>) : {};
    const parsed = req.isJson ? parseTraccarJson(req.body) : parseOsmandParams(req.params, form);
    if (typeof parsed === 'string') throw AppError.validation(parsed);
    if (req.token === undefined && !parsed.externalId) throw AppError.validation('id (or deviceid) is required, or send to /ingest/osmand/<device token>');
    const now = nowMs();
    const clean = normalize(parsed.raw, now);
    if (typeof clean === 'string') throw AppError.validation(clean);
    const credential = req.token ?? (parsed.externalId as string);
    await this.guard.checkFailures(req.ip, credential);
    const device = req.token !== undefined ? await this.devices.byToken(req.token) : await this.devices.byBareExternalId(parsed.externalId as string);
    if (!device) {
      await this.guard.authFailed(req.ip, credential);
      throw deviceUnknown(req.isJson);
    }
    if (req.token !== undefined && parsed.externalId !== null && parsed.externalId !== device.external_id && parsed.externalId !== device.id) {
      throw AppError.validation('id does not match this device: send its external_id, or leave id out', [{ path: 'querystring/id', message: 'not this device' }]);
    }
    await this.guard.admit(device.id);
    await this.ingestOne(device, clean, now, 'osmand');
  }

  /** `/ingest/owntracks`: Basic auth as external id + token; only `_type: "location"` is stored. */
  async ingestOwnTracks(authorization: string | undefined, body: unknown, ip: string): Promise<void> {
    await this.guard.checkFailures(ip, authorization ?? null);
    const creds = basicCredentials(authorization);
    const device = creds ? await this.devices.authenticate(creds.user, creds.password) : null;
    if (!device) {
      if (authorization) await this.guard.authFailed(ip, authorization);
      throw new AppError('unauthorized', 'HTTP Basic auth with the device external id and token is required');
    }
    await this.guard.admit(device.id);
    const raw = parseOwnTracks(body);
    if (typeof raw === 'string') throw AppError.validation(raw);
    if (!raw) return;
    const now = nowMs();
    const clean = normalize(raw, now);
    if (typeof clean === 'string') throw AppError.validation(clean);
    await this.ingestOne(device, clean, now, 'owntracks');
  }

  /** A partner org pushes positions to a shipment shared with it, and to nothing else. */
  async ingestForPartner(actor: Actor, shipmentId: string, layer: Layer, items: unknown[]): Promise<IngestResult> {
    requireRole(actor, 'dispatcher', 'send positions');
    const shipment = await this.shipments.isSharedWith(actor.orgId, shipmentId);
    if (!shipment) throw AppError.notFound('Shipment');
    const device = await this.devices.partnerDevice(shipment.org_id, shipment.id, shipment.created_at, actor.orgId, layer);
    const stripped = items.map((i) => (typeof i === 'object' && i !== null && !Array.isArray(i) ? { ...(i as object), device_id: undefined } : i));
    // Stored only while the share still holds: an unshare committed since the check above waits
    // for this write, or makes it a 404; the former partner writes nothing into the shipment.
    return this.ingestBatch({ kind: 'device', device }, stripped, 'partner', { hold: (trx) => this.shipments.holdShare(trx, actor.orgId, shipment.id), what: 'Shipment' });
  }

  private async store(orgId: string, rows: NewPosition[], now: number, source: string, guard?: WriteGuard): Promise<StoredPoint[]> {
    if (!rows.length) return [];
    const inserted = await this.writer.write({ rows, seenAt: now, guard });
    this.counters.countIngested(inserted.length, source);
    if (inserted.length) {
      for (const deviceId of new Set(inserted.map((p) => p.device_id))) this.devicePositionsChanged(deviceId);
      for (const l of this.ingestListeners) l(orgId, inserted);
    }
    return inserted;
  }

  // ---- the owner's view ----

  /**
   * Positions of a shipment for the admin app: the owner's devices, all layers, no link scope; a
   * partner it was shared with gets its partner scope instead (partner-view.ts), without devices.
   */
  async forShipment(actor: Actor, shipmentId: string, q: { from?: string; to?: string; limit?: number }) {
    const access = await this.shipments.readAccess(actor, shipmentId);
    const now = nowMs();
    const to = fromIso(q.to) ?? now + 86_400_000;
    const from = fromIso(q.from) ?? now - 24 * 3600_000;
    if (from > to) throw AppError.validation('from must not be after to', [{ path: 'querystring/from', message: 'after to' }]);
    const limit = q.limit ?? 5000;
    if (!access.own) return partnerTrack(this, partnerPositionScope(access.view, access.sharedBy.id), from, to, limit);
    const sources = await this.repo.listSources(actor.orgId, shipmentId);
    const items = [];
    for (const s of sources) {
      const pts = await this.repo.pointsBetween(actor.orgId, s.device_id, from, to, limit);
      for (const p of pts) items.push({ layer: s.layer, device_id: s.device_id, segment: s.segment, ...pointView(p) });
    }
    items.sort((a, b) => a.recorded_at.localeCompare(b.recorded_at));
    return { items: items.slice(-limit), from: toIso(from), to: toIso(to) };
  }

  // ---- public, scope-enforced ----

  /** The windows a link may see, from its scope and the shipment's stops, segments and sources. */
  async readVisibleWindows(scope: PositionScope): Promise<VisibleWindows> {
    const shape = await this.repo.shipmentShape(scope.orgId, scope.shipmentId);
    if (!shape) return { orgId: scope.orgId, shipmentId: scope.shipmentId, history: false, entries: [] };
    return buildVisibleWindows(scope, shape);
  }

  /** Positions of this device arrived (here or, through the live hub, on another instance). */
  devicePositionsChanged(deviceId: string): void {
    this.positionsChanged.set(deviceId, (this.positionsChanged.get(deviceId) ?? 0) + 1);
  }

  /** Anything may have changed (positions purged, live messages missed): read afresh. */
  forgetCurrentPositions(): void {
    this.allChanged++;
  }

  /**
   * currentPositions for a link's visible windows, read from the store only when one of its devices has moved
   * since the last read: the JSON view and polling clients ask far more often than trucks report.
   */
  async currentPositionsCached(visible: VisibleWindows): Promise<PublicPosition[]> {
    const kept = this.current.get(visible);
    if (kept && kept.all === this.allChanged && visible.entries.every((e, i) => (this.positionsChanged.get(e.deviceId) ?? 0) === kept.stamps[i])) {
      return kept.value;
    }
    // Stamps taken before the read: positions arriving during it make the next request read again.
    const stamps = visible.entries.map((e) => this.positionsChanged.get(e.deviceId) ?? 0);
    const all = this.allChanged;
    let value: PublicPosition[];
    try {
      value = await this.readCurrent(visible);
    } catch (err) {
      // The database is away: the link itself is only served within its outage grace
      // (publicLinks.resolve), and the positions last read for it are what it showed then.
      if (kept && storeProblem(err)) return kept.value;
      throw err;
    }
    this.current.set(visible, { value, stamps, all });
    return value;
  }

  async currentPositions(scope: PositionScope, visible?: VisibleWindows): Promise<PublicPosition[]> {
    return this.readCurrent(visible ?? (await this.readVisibleWindows(scope)));
  }

  private async readCurrent(visible: VisibleWindows): Promise<PublicPosition[]> {
    const asked = visible.entries.flatMap((e) => e.windows.map((w) => ({ layer: e.layer, deviceId: e.deviceId, from: finite(w)[0], to: finite(w)[1] })));
    const best = new Map<Layer, StoredPoint>();
    // Rows in window order, so equal times keep the earlier window's point, as one read per window did.
    const rows = (await this.repo.latestInEach(visible.orgId, asked)).sort((a, b) => a.k - b.k);
    for (const p of rows) {
      const layer = asked[p.k].layer;
      const cur = best.get(layer);
      if (!cur || p.recorded_at > cur.recorded_at) best.set(layer, p);
    }
    return [...best.entries()].map(([layer, p]) => publicPosition(layer, p));
  }

  /** Visible positions after `afterMs` (stream resume), oldest first, at most `max` per layer. */
  async since(visible: VisibleWindows, afterMs: number, max: number): Promise<PublicPosition[]> {
    const byLayer = await collectPoints(this.repo, visible, [afterMs + 1, Infinity], max);
    const out: PublicPosition[] = [];
    for (const [layer, pts] of byLayer) {
      const kept = pts.length > max ? pts.slice(-max) : pts;
      for (const p of kept) out.push(publicPosition(layer, p));
    }
    return out.sort((a, b) => a.recorded_at.localeCompare(b.recorded_at));
  }

  async history(scope: PositionScope, q: { layer?: Layer; from?: string; to?: string }, shared?: VisibleWindows): Promise<PublicHistory> {
    const visible = shared ?? (await this.readVisibleWindows(scope));
    const from = fromIso(q.from);
    const to = fromIso(q.to);
    if (from !== null && to !== null && from > to) throw AppError.validation('from must not be after to', [{ path: 'querystring/from', message: 'after to' }]);
    const bounds: Window = [from ?? -Infinity, to ?? Infinity];
    const filtered: VisibleWindows = { ...visible, entries: visible.entries.filter((e) => !q.layer || e.layer === q.layer) };
    const layers: PublicHistory['layers'] = [];
    if (!visible.history) {
      // Only the latest position may be shown: the "history" is that one point.
      for (const p of await this.currentPositions(scope, filtered)) {
        const at = Date.parse(p.recorded_at);
        if (at >= bounds[0] && at <= bounds[1]) layers.push({ layer: p.layer, points: [[at, p.lat, p.lon]], total: 1, downsampled: false });
      }
    } else {
      for (const [layer, { track, total }] of await collectTracks(this.repo, filtered, bounds, MAX_READ, SAMPLE)) {
        const points = downsample(track, MAX_HISTORY_POINTS);
        layers.push({ layer, points, total, downsampled: points.length < total });
      }
    }
    return { layers, from: toIso(from), to: toIso(to) };
  }
}

function pointView(p: Pick<StoredPoint, 'recorded_at' | 'lat' | 'lon' | 'speed_mps' | 'heading_deg' | 'accuracy_m'>) {
  return { recorded_at: toIso(p.recorded_at) as string, lat: p.lat, lon: p.lon, speed_mps: p.speed_mps, heading_deg: p.heading_deg, accuracy_m: p.accuracy_m };
}

export function publicPosition(layer: Layer, p: Pick<StoredPoint, 'recorded_at' | 'lat' | 'lon' | 'speed_mps' | 'heading_deg' | 'accuracy_m'>): PublicPosition {
  return { layer, ...pointView(p) };
}
