// A partner's view of a shipment's track in the admin app: the points its partner scope allows
// (links/partner-view.ts), per layer and downsampled like a public history, without device ids.
import { toIso } from '../../shared/time.js';
import type { PositionScope } from './positions.contract.js';
import type { PositionsService } from './positions.service.js';

export async function partnerTrack(positions: PositionsService, scope: PositionScope, from: number, to: number, limit: number) {
  const history = await positions.history(scope, { from: toIso(from) ?? undefined, to: toIso(to) ?? undefined });
  const items = history.layers.flatMap(({ layer, points }) =>
    points.map(([t, lat, lon]) => ({ layer, recorded_at: toIso(t) as string, lat, lon, speed_mps: null, heading_deg: null, accuracy_m: null })),
  );
  items.sort((a, b) => a.recorded_at.localeCompare(b.recorded_at));
  return { items: items.slice(-limit), from: toIso(from), to: toIso(to) };
}
