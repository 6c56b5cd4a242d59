// PostgreSQL: positions partitioned by day of recorded_at (partition-positions.ts), so retention
// drops a whole day at once instead of deleting it row by row. SQLite keeps one table.
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';
import { partitionPositions } from '../partition-positions.js';

export const positionsPartitions = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    if (dialect === 'postgres') await partitionPositions(db);
  },
});
