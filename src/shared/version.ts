// Tracklink's own version, from package.json (src/ and the compiled dist/ sit at the same depth).
import { readFileSync } from 'node:fs';

export const TRACKLINK_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
