// The devices that recent tokens authenticated, so a phone posting every few seconds is not
// looked up in the store each time (devicemix: 2,000 OsmAnd requests a second, each one
// SELECT by token hash). Keyed by the token's hash, never the token: nothing here is a
// credential. What makes a token stop working (rotation, deletion) drops its device at once on
// the instance that made the change and, through the live bus, on every other one; the bus
// being down turns the cache off (services.ts), and an entry lives TTL_MS at most whatever
// happens, for a change no message told of (a restore, an edit by hand).
import type { DeviceRow } from '../../db/schema.js';

/** How long a device found by its token is trusted without asking the store again. */
export const DEVICE_TOKEN_TTL_MS = 30_000;
/** Devices kept at most (the oldest go first): a few MB even at this size. */
const MAX_ENTRIES = 50_000;

export interface DeviceTokenCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  /**
   * Whether changes made on other instances reach this one now (the live bus is connected):
   * while not, nothing is served from or added to the cache.
   */
  trusted?: () => boolean;
}

export class DeviceTokenCache {
  private readonly byHash = new Map<string, { device: DeviceRow; loadedAt: number }>();
  /** The token hash each cached device was found by (one per device: a device has one token). */
  private readonly hashOf = new Map<string, string>();
  private generation = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly trusted: () => boolean;

  constructor(opts: DeviceTokenCacheOptions = {}) {
    this.ttlMs = opts.ttlMs ?? DEVICE_TOKEN_TTL_MS;
    this.maxEntries = opts.maxEntries ?? MAX_ENTRIES;
    this.trusted = opts.trusted ?? (() => true);
  }

  get size(): number {
    return this.byHash.size;
  }

  get(tokenHash: string, now: number): DeviceRow | undefined {
    const e = this.byHash.get(tokenHash);
    if (!e) return undefined;
    if (now - e.loadedAt >= this.ttlMs || !this.trusted()) {
      this.drop(tokenHash, e.device.id);
      return undefined;
    }
    return e.device;
  }

  /** Take before reading the store; set() ignores a read that a change overtook meanwhile. */
  ticket(): number {
    return this.generation;
  }

  set(tokenHash: string, device: DeviceRow, ticket: number, now: number): void {
    if (ticket !== this.generation || this.ttlMs <= 0 || !this.trusted()) return;
    const previous = this.hashOf.get(device.id);
    // A device has one valid token: whatever it was found by before is not it any more.
    if (previous !== undefined && previous !== tokenHash) this.byHash.delete(previous);
    if (this.byHash.size >= this.maxEntries && !this.byHash.has(tokenHash)) {
      // Map keeps insertion order: the first entry is the oldest.
      const oldest = this.byHash.entries().next();
      if (!oldest.done) this.drop(oldest.value[0], oldest.value[1].device.id);
    }
    // Shared by every request of the device until it goes: nobody may change it under the others.
    this.byHash.set(tokenHash, { device: Object.freeze(device), loadedAt: now });
    this.hashOf.set(device.id, tokenHash);
  }

  /** The device's token changed or the device went (here or on another instance). */
  forgetDevice(deviceId: string): void {
    this.generation++;
    const hash = this.hashOf.get(deviceId);
    if (hash !== undefined) this.drop(hash, deviceId);
  }

  /** Changes may have been missed (bus lost or back): nothing cached is trusted. */
  clear(): void {
    this.generation++;
    this.byHash.clear();
    this.hashOf.clear();
  }

  private drop(tokenHash: string, deviceId: string): void {
    this.byHash.delete(tokenHash);
    if (this.hashOf.get(deviceId) === tokenHash) this.hashOf.delete(deviceId);
  }
}
