// The tile cache on disk (DATA_DIR/tiles/z/x/y.tile): the only code that touches those files.
// Size-bounded: when a new tile takes it over the cap, the least recently used tiles are deleted.
// Each file is one line of JSON metadata, a newline, then the image bytes; writes are atomic
// (temp file + rename), files owner-only. Several instances may share DATA_DIR: each keeps its own
// index (rebuilt from the files at start, least recently touched first) and treats a tile another
// instance evicted as a miss.
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../shared/private-files.js';

export interface CachedTile {
  body: Buffer;
  contentType: string;
  /** Until when the tile is fresh (ms since epoch); a stale tile is revalidated, and served if the upstream fails. */
  expiresAt: number;
  etag?: string;
  lastModified?: string;
}

interface Meta {
  t: string;
  e: number;
  etag?: string;
  lm?: string;
}

interface IndexEntry {
  size: number;
  /** Last time this process wrote the file's mtime (the LRU order that survives a restart). */
  touchedAt: number;
}

/** Rewriting a file's mtime on every hit would cost a syscall per tile served; once an hour is enough to order a restart. */
const TOUCH_EVERY_MS = 3600_000;

export class TileDiskCache {
  /** Map order is the LRU order: first = least recently used. */
  private readonly index = new Map<string, IndexEntry>();
  private total = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bytes the cached tiles take on disk (as this process knows them). */
  get size(): number {
    return this.total;
  }

  get count(): number {
    return this.index.size;
  }

  async get(key: string): Promise<CachedTile | null> {
    await this.ready();
    const entry = this.index.get(key);
    if (!entry) return null;
    let raw: Buffer;
    try {
      raw = await readFile(this.file(key));
    } catch {
      this.forget(key); // evicted by another instance, or removed by hand
      return null;
    }
    const tile = decode(raw);
    if (!tile) {
      await this.delete(key);
      return null;
    }
    this.index.delete(key);
    this.index.set(key, entry);
    const now = this.now();
    if (now - entry.touchedAt > TOUCH_EVERY_MS) {
      entry.touchedAt = now;
      utimes(this.file(key), now / 1000, now / 1000).catch(() => {});
    }
    return tile;
  }

  async put(key: string, tile: CachedTile): Promise<void> {
    await this.ready();
    const file = this.file(key);
    const bytes = encode(tile);
    await mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, bytes, { mode: PRIVATE_FILE_MODE });
    await rename(tmp, file);
    this.forget(key);
    this.index.set(key, { size: bytes.length, touchedAt: this.now() });
    this.total += bytes.length;
    await this.evict();
  }

  async delete(key: string): Promise<void> {
    this.forget(key);
    await rm(this.file(key), { force: true });
  }

  private forget(key: string): void {
    const old = this.index.get(key);
    if (!old) return;
    this.total -= old.size;
    this.index.delete(key);
  }

  private async evict(): Promise<void> {
    while (this.total > this.maxBytes && this.index.size) {
      const oldest = this.index.keys().next().value as string;
      await this.delete(oldest);
    }
  }

  private file(key: string): string {
    // Keys are "z/x/y" of validated integers (the service checks them); never anything else.
    if (!/^\d{1,2}\/\d{1,8}\/\d{1,8}$/.test(key)) throw new Error(`not a tile key: ${key}`);
    return path.join(this.dir, `${key}.tile`);
  }

  private ready(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  /** Rebuilds the index from the files, least recently touched first, and applies the cap (it may have been lowered). */
  private async load(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const found: { key: string; size: number; mtime: number }[] = [];
    const walk = async (dir: string, rel: string[]): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && rel.length < 2 && /^\d+$/.test(e.name)) await walk(p, [...rel, e.name]);
        else if (e.isFile() && e.name.endsWith('.tmp')) await rm(p, { force: true }); // a write cut short
        else if (e.isFile() && rel.length === 2 && /^\d+\.tile$/.test(e.name)) {
          const st = await stat(p).catch(() => null);
          if (st) found.push({ key: `${rel[0]}/${rel[1]}/${e.name.slice(0, -'.tile'.length)}`, size: st.size, mtime: st.mtimeMs });
        }
      }
    };
    await walk(this.dir, []);
    found.sort((a, b) => a.mtime - b.mtime);
    for (const f of found) {
      this.index.set(f.key, { size: f.size, touchedAt: f.mtime });
      this.total += f.size;
    }
    await this.evict();
  }
}

function encode(tile: CachedTile): Buffer {
  const meta: Meta = { t: tile.contentType, e: tile.expiresAt, ...(tile.etag ? { etag: tile.etag } : {}), ...(tile.lastModified ? { lm: tile.lastModified } : {}) };
  return Buffer.concat([Buffer.from(`${JSON.stringify(meta)}\n`), tile.body]);
}

function decode(raw: Buffer): CachedTile | null {
  const nl = raw.indexOf(0x0a);
  if (nl < 0) return null;
  try {
    const meta = JSON.parse(raw.subarray(0, nl).toString('utf8')) as Meta;
    if (typeof meta.t !== 'string' || typeof meta.e !== 'number') return null;
    return { body: raw.subarray(nl + 1), contentType: meta.t, expiresAt: meta.e, etag: meta.etag, lastModified: meta.lm };
  } catch {
    return null;
  }
}
