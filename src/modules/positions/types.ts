// Re-exports the store types this module uses, so its files import them from one place.
export type { Insertable } from 'kysely';
export type { DeviceRow, Layer, PositionTable, SourceRow } from '../../db/schema.js';
