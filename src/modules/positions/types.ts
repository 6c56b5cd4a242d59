// Re-exports the store types this module uses, so its files import them from one place.
export type { DeviceRow, Layer, NewPosition, SourceRow } from '../../db/schema.js';
