// Request schema of /tiles/{z}/{x}/{y}.png: canonical non-negative integers only (no signs, no
// leading zeros), so every tile has exactly one URL and one cache entry. Ranges are the service's.
import { Type } from '@sinclair/typebox';

const TileNumber = Type.String({ pattern: '^(0|[1-9][0-9]{0,7})$' });
export const TileParams = Type.Object({ z: TileNumber, x: TileNumber, y: TileNumber });

/** The tile URL template the public page's map uses (same origin). */
export const TILE_PATH = '/tiles/{z}/{x}/{y}.png';
