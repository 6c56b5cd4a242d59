// `POST /ingest/traccar`: Traccar server forwards each position it decodes (from any of its 200+
// device protocols) with the org's ingest token; the device is the org's device whose
// external_id is Traccar's uniqueId. Stored through the same path as every other protocol.
//
// Traccar retries a position on any non-2xx reply (forward.retry.*) and drops positions once
// its retry queue is full, so a position that will never be stored (no GPS fix, outdated, out
// of range) is answered 200 with the reason, not 400: retrying it only crowds out good ones.
// What a retry can fix answers non-2xx: a wrong token (401), a device not registered yet (404),
// a device over its request budget (429), a body that is not a Traccar forward at all (400).
import { AppError } from '../../shared/errors.js';
import type { DeviceGuard } from './device-guard.js';
import type { IngestTokensRepository } from './ingest-tokens.repository.js';
import type { IngestTokensService } from './ingest-tokens.service.js';
import type { PositionsService } from './positions.service.js';
import { parseTraccarForward } from './protocols/traccar.js';

export type TraccarResult = { result: 'stored' | 'duplicate' } | { result: 'ignored'; reason: string };

const UNAUTHORIZED = 'Send the organization’s ingest token as Authorization: Bearer <token> (Traccar: forward.header)';
const UNKNOWN_DEVICE = 'No device in this organization has this uniqueId as its external_id: register it (POST /api/v1/devices with external_id = the Traccar uniqueId)';

export class TraccarIngest {
  constructor(
    private readonly tokens: IngestTokensService,
    private readonly repo: IngestTokensRepository,
    private readonly positions: PositionsService,
    private readonly guard: DeviceGuard,
  ) {}

  async ingest(req: { authorization: string | undefined; body: unknown; ip: string }): Promise<TraccarResult> {
    await this.guard.checkFailures(req.ip, req.authorization ?? null);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? '')?.[1];
    const caller = bearer ? await this.tokens.authenticate(bearer) : null;
    if (!caller) {
      if (req.authorization) await this.guard.authFailed(req.ip, req.authorization);
      throw new AppError('unauthorized', UNAUTHORIZED);
    }
    const forward = parseTraccarForward(req.body);
    if (typeof forward === 'string') throw AppError.validation(forward);
    const device = await this.repo.deviceByExternalId(caller.orgId, forward.uniqueId);
    if (!device) throw new AppError('not_found', UNKNOWN_DEVICE);
    await this.guard.admit(device.id);
    if (!forward.valid) return { result: 'ignored', reason: 'position.valid is false: the device had no GPS fix' };
    if (forward.outdated) return { result: 'ignored', reason: 'position.outdated is true: Traccar repeated the last known location' };
    const r = await this.positions.ingestBatch({ kind: 'device', device }, [forward.raw], 'traccar');
    if (r.rejected.length) return { result: 'ignored', reason: r.rejected[0].error };
    return { result: r.accepted ? 'stored' : 'duplicate' };
  }
}
