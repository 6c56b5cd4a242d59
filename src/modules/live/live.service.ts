// Live viewers of public links on this instance. Each viewer keeps its link's scope in memory
// (as time windows per device and layer), so a position from the hub is filtered and pushed
// without a query; link, org and shipment changes refresh the scope, and a link that stopped
// being available gets a `revoked` event and its stream closes.
import { clientKey } from '../../http/client-key.js';
import { AppError } from '../../shared/errors.js';
import type { Layer } from '../../db/schema.js';
import type { PositionScope, PublicEventType, PublicPosition } from '../positions/positions.contract.js';
import type { EtaService } from '../positions/eta.service.js';
import { publicPosition, type PositionsService } from '../positions/positions.service.js';
import { visibleLayers, type VisibleWindows } from '../positions/scope.js';
import type { Hub, LiveMessage } from './hub.js';
import { statusEvent, type LiveLink, type LiveResolve } from './live-link.js';
import { etaCalculatedAt } from '../links/visibility.js';

/**
 * A position's time as the viewer's page writes it ("1 Dec 2026, 10:39:40 CET", public-page
 * i18n.ts seenFormat), sent with it as `recorded_at_text`: a phone's first date format of its own
 * is a long task. Viewers given the same object share their events (seenFormat keeps one per
 * language and zone).
 */
export interface TimeText {
  format(ms: number): string;
}

export interface SseSink {
  write(chunk: string): void;
  end(): void;
}

interface Viewer {
  slug: string;
  /** What SSE_MAX_PER_IP counts under: clientKey() of the address (an IPv6 /64 is one client). */
  clientKey: string;
  link: LiveLink | null;
  visible: VisibleWindows | null;
  /**
   * Newest recorded_at sent per layer: older (out-of-order) positions never move the marker back.
   * A plain object, not a Map: one per idle viewer, and a Map costs several times more memory.
   */
  last: Partial<Record<Layer, number>>;
  sink: SseSink | null;
  closed: boolean;
  timeText: TimeText | null;
  /**
   * Live fixes that came while attach() read what to send first: sent after it. Sent at once,
   * they made every replayed (older) position look out of order, and a resuming viewer lost them.
   */
  held: HeldFix[] | null;
}

interface HeldFix {
  deviceId: string;
  at: number;
  make: (layer: Layer, v: Viewer) => string;
}

export interface LiveOptions {
  maxPerIp: number;
  heartbeatMs?: number;
  /**
   * With the bus up, every viewer's link is still re-resolved this often (ms, default 60 s): a
   * change whose bus message was lost (a publish that failed while the connection stayed up)
   * closes or narrows open streams within this bound instead of at the link's next change. The
   * resolver answers from its cache, re-checked with one batched version read per 500 links.
   */
  recheckMs?: number;
  /**
   * The same re-check's period while the bus is down (ms, default 5 s), so a revocation made on
   * another instance meanwhile closes streams here within this bound, not only when the bus is back.
   */
  outageCheckMs?: number;
  /** Drops cached link resolutions on this instance (publicLinks.invalidate*). */
  invalidate: (msg: LiveMessage) => void;
  errorLog?: (err: unknown) => void;
}

/** Positions replayed on resume, per layer; the page fetches /history for more. */
const RESUME_MAX = 500;

/** Why viewers' links are read again: a change (`changed` sent), a resync after the bus was lost (`changed` with resync), an ETA, or a periodic check (nothing sent unless something differs). */
type RefreshKind = 'changed' | 'resync' | 'eta' | 'check';

export function frame(type: PublicEventType, data: unknown, id?: number): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The position event's data: the position, with its time as the viewer's page writes it. */
const withTimeText = (p: PublicPosition, at: number, t: TimeText | null): PublicPosition | (PublicPosition & { recorded_at_text: string }) =>
  t ? { ...p, recorded_at_text: t.format(at) } : p;

export class LiveService {
  private readonly viewers = new Set<Viewer>();
  private readonly byDevice = new Map<string, Set<Viewer>>();
  private readonly perIp = new Map<string, number>();
  // The latest refresh started per slug, from one counter: an entry goes when its refresh ends.
  private readonly refreshSeq = new Map<string, number>();
  private refreshCounter = 0;
  /** The quiet re-check of every viewer's link: every recheckMs, every outageCheckMs while the bus is down. */
  private recheck: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly errorLog: (err: unknown) => void;

  constructor(
    readonly hub: Hub,
    private readonly positions: PositionsService,
    private readonly eta: EtaService,
    private readonly resolve: LiveResolve,
    private readonly opts: LiveOptions,
  ) {
    this.errorLog = opts.errorLog ?? (() => {});
  }

  async start(): Promise<void> {
    this.hub.subscribe((msg) => this.onMessage(msg));
    this.hub.onResync(() => {
      this.refresh([...this.viewers], 'resync');
      this.scheduleRecheck();
    });
    this.hub.onLost(() => this.scheduleRecheck());
    await this.hub.start();
    // Stopped while the bus was connecting (a signal during start-up): no timer may start after stop().
    if (this.stopped) return;
    this.heartbeat = setInterval(() => {
      for (const v of this.viewers) v.sink?.write(': hb\n\n');
    }, this.opts.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
    this.scheduleRecheck();
  }

  /**
   * (Re)starts the re-check at the period the bus's state calls for. Called when the bus goes
   * down, comes back (after the resync's full refresh: the next check can wait a whole period)
   * and on start (a bus not reachable at boot counts as down).
   */
  private scheduleRecheck(): void {
    if (this.recheck) clearInterval(this.recheck);
    this.recheck = null;
    if (this.stopped) return;
    const ms = this.hub.connected ? (this.opts.recheckMs ?? 60_000) : (this.opts.outageCheckMs ?? 5000);
    this.recheck = setInterval(() => this.refresh([...this.viewers], 'check'), ms);
    this.recheck.unref();
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Whether the heartbeat timer runs (tests: none after stop, even when stopped during start). */
  get heartbeating(): boolean {
    return this.heartbeat !== null;
  }

  /** Slugs with a refresh under way (none once they end: nothing is kept per slug ever refreshed). */
  get refreshesUnderWay(): number {
    return this.refreshSeq.size;
  }

  // ---- publishing (any instance) ----

  publish(msg: LiveMessage): void {
    this.hub.publish(msg).catch((err) => this.errorLog(err));
  }

  // ---- viewers ----

  /** Reserves a stream slot for this client IP, or refuses with 429 beyond the cap. */
  admit(slug: string, ip: string): Viewer {
    const key = clientKey(ip);
    const n = this.perIp.get(key) ?? 0;
    if (n >= this.opts.maxPerIp) throw new AppError('rate_limited', `At most ${this.opts.maxPerIp} live streams per client`);
    this.perIp.set(key, n + 1);
    const v: Viewer = { slug, clientKey: key, link: null, visible: null, last: {}, sink: null, closed: false, timeText: null, held: null };
    this.viewers.add(v);
    return v;
  }

  /** Starts the stream: replays what was missed since Last-Event-ID, or the current positions. */
  async attach(v: Viewer, link: LiveLink, sink: SseSink, lastEventId?: string, timeText?: TimeText): Promise<void> {
    v.link = link;
    v.timeText = timeText ?? null;
    const visible = await this.positions.visibleWindows(link.scope, link.shape);
    if (v.closed) return;
    // Subscribed before the first byte goes out: the browser's `open` comes with that byte, so a
    // position acknowledged after a client saw `open` always reaches it (live or in `initial`).
    v.sink = sink;
    this.setVisibleWindows(v, visible);
    sink.write('retry: 3000\n\n');
    const after = lastEventId && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : null;
    v.held = [];
    let initial: PublicPosition[];
    let held: HeldFix[];
    try {
      initial = after !== null && visible.history ? await this.positions.since(visible, after, RESUME_MAX) : await this.positions.currentPositionsCached(visible);
    } finally {
      held = v.held;
      v.held = null;
    }
    for (const p of initial) {
      const at = Date.parse(p.recorded_at);
      this.sendFrame(v, p.layer, at, () => frame('position', withTimeText(p, at, v.timeText), at));
    }
    for (const h of held) this.sendFix(v, h.deviceId, h.at, h.make);
    const status = statusEvent(link);
    if (status) v.sink?.write(frame('status', status));
    if (link.events.eta) await this.sendEta([v]);
    // A comment (EventSource ignores it) ending the initial state: a reader that checks what a
    // link shows knows it has seen all of it, however long the reads above took.
    v.sink?.write(': ready\n\n');
  }

  detach(v: Viewer): void {
    if (!this.viewers.delete(v)) return;
    v.closed = true;
    this.unindex(v);
    const n = (this.perIp.get(v.clientKey) ?? 1) - 1;
    if (n > 0) this.perIp.set(v.clientKey, n);
    else this.perIp.delete(v.clientKey);
  }

  /** Graceful shutdown: tell every viewer to reconnect (to another instance) and close. */
  closeAll(): void {
    for (const v of [...this.viewers]) {
      v.sink?.write('retry: 1000\n\n');
      v.sink?.end();
      this.detach(v);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (this.recheck) clearInterval(this.recheck);
    this.closeAll();
    await this.hub.stop();
  }

  // ---- hub messages (every instance) ----

  private onMessage(msg: LiveMessage): void {
    switch (msg.type) {
      case 'pos': {
        const [at, lat, lon, speed, heading, acc] = msg.position;
        // The event a layer's viewers get is the same for all of them: made once per layer, not
        // once per viewer (10,000 viewers of one link would otherwise serialize it 10,000 times).
        // (per way of writing its time: viewers of one language and zone share it too).
        const frames = new Map<TimeText | null, Map<Layer, string>>();
        const frameFor = (layer: Layer, v: Viewer) => {
          let byLayer = frames.get(v.timeText);
          if (!byLayer) frames.set(v.timeText, (byLayer = new Map()));
          let f = byLayer.get(layer);
          if (f === undefined) {
            f = frame('position', withTimeText(publicPosition(layer, { recorded_at: at, lat, lon, speed_mps: speed, heading_deg: heading, accuracy_m: acc }), at, v.timeText), at);
            byLayer.set(layer, f);
          }
          return f;
        };
        for (const v of this.byDevice.get(msg.deviceId) ?? []) {
          if (v.held) v.held.push({ deviceId: msg.deviceId, at, make: frameFor });
          else this.sendFix(v, msg.deviceId, at, frameFor);
        }
        return;
      }
      case 'ship':
        this.opts.invalidate(msg);
        this.refresh([...this.viewers].filter((v) => v.link?.shipmentId === msg.shipmentId), msg.change === 'eta' ? 'eta' : 'changed');
        return;
      case 'link':
        this.opts.invalidate(msg);
        this.refresh([...this.viewers].filter((v) => v.link?.linkId === msg.linkId || v.link?.shipmentId === msg.shipmentId), 'changed');
        return;
      case 'org':
        this.opts.invalidate(msg);
        this.refresh([...this.viewers].filter((v) => v.link?.orgId === msg.orgId), 'changed');
        return;
    }
  }

  /**
   * Sends a fix to the viewer in one write for all the layers it sees of it (driver and inferred
   * cargo): they arrive together, and the page draws them as the one marker they are, never split.
   */
  private sendFix(v: Viewer, deviceId: string, at: number, make: (layer: Layer, v: Viewer) => string): void {
    if (!v.visible || v.closed || !v.sink) return;
    let out = '';
    for (const layer of visibleLayers(v.visible, deviceId, at)) out += this.frameIfNewer(v, layer, at, make);
    if (out) v.sink.write(out);
  }

  /** Sends a layer's position event unless the viewer already has a newer one of that layer. */
  private sendFrame(v: Viewer, layer: Layer, at: number, make: (layer: Layer, v: Viewer) => string): void {
    if (v.closed || !v.sink) return;
    const f = this.frameIfNewer(v, layer, at, make);
    if (f) v.sink.write(f);
  }

  /** A layer's position event for the viewer ('' when it already has a newer one of that layer). */
  private frameIfNewer(v: Viewer, layer: Layer, at: number, make: (layer: Layer, v: Viewer) => string): string {
    if ((v.last[layer] ?? -Infinity) >= at) return '';
    v.last[layer] = at;
    return make(layer, v);
  }

  private async sendEta(viewers: Viewer[]): Promise<void> {
    const first = viewers[0]?.link;
    if (!first) return;
    const info = await this.eta.etaFor(first.orgId, first.shipmentId);
    if (!info) return;
    // Two frames at most, made once: with the computed ETA's time, and without (each link's policy says which).
    const [hidden, shown] = [false, true].map((t) => frame('eta', { eta: info.eta, eta_source: info.eta_source, calculated_at: etaCalculatedAt(t, info.eta_source, info.calculated_at), state: info.state }));
    for (const v of viewers) if (!v.closed && v.link?.events.eta) v.sink?.write(v.link.events.etaComputedTime ? shown : hidden);
  }

  /**
   * Re-resolves each slug once for all its viewers on this instance, then pushes what changed.
   * 'check' (bus outage, periodic re-check) only closes streams of links no longer available and
   * updates the rest quietly: positions follow the link's current layers and device windows.
   */
  private refresh(viewers: Viewer[], kind: RefreshKind): void {
    const bySlug = new Map<string, Viewer[]>();
    // Appended in place: copying the group for each viewer made one refresh of a link with n
    // viewers cost n²/2 element copies (190 million, seconds of a blocked event loop, at 19,500).
    for (const v of viewers) {
      if (!v.link) continue;
      const group = bySlug.get(v.slug);
      if (group) group.push(v);
      else bySlug.set(v.slug, [v]);
    }
    for (const [slug, group] of bySlug) {
      const seq = ++this.refreshCounter;
      this.refreshSeq.set(slug, seq);
      this.refreshSlug(slug, group, seq, kind).catch((err) => {
        if (this.refreshSeq.get(slug) === seq) this.refreshSeq.delete(slug);
        this.errorLog(err);
      });
    }
  }

  private async refreshSlug(slug: string, group: Viewer[], seq: number, kind: RefreshKind): Promise<void> {
    const r = await this.resolve(slug);
    const visible = typeof r === 'string' ? null : await this.positions.visibleWindows(r.scope, r.shape);
    // A newer refresh of the same slug started meanwhile: its answer wins.
    if (this.refreshSeq.get(slug) !== seq) return;
    this.refreshSeq.delete(slug);
    /** Viewers a change reached only as something their link hides: told nothing, not even the ETA again. */
    const unmoved = new Set<Viewer>();
    for (const v of group) {
      if (v.closed) continue;
      if (typeof r === 'string' || !visible) {
        v.sink?.write(frame('revoked', {}));
        v.sink?.end();
        this.detach(v);
        continue;
      }
      // Compared as the link sees them: a change it does not show is no event.
      const status = statusEvent(r);
      const statusChanged = v.link !== null && JSON.stringify(statusEvent(v.link)) !== JSON.stringify(status);
      // What the page would fetch again is the same (the change was one the link hides): no event.
      const shownChanged = v.link === null || v.link.shown !== r.shown || JSON.stringify(v.visible) !== JSON.stringify(visible);
      v.link = r;
      this.setVisibleWindows(v, visible);
      if (kind === 'changed') {
        if (shownChanged) v.sink?.write(frame('changed', {}));
        else unmoved.add(v);
      }
      // Every viewer of this instance at once: the page spreads its refetch (page-live.js).
      else if (kind === 'resync') v.sink?.write(frame('changed', { resync: true }));
      if (statusChanged && status) v.sink?.write(frame('status', status));
    }
    if (typeof r !== 'string' && r.events.eta && kind !== 'check') await this.sendEta(group.filter((v) => !v.closed && !unmoved.has(v)));
  }

  private setVisibleWindows(v: Viewer, visible: VisibleWindows): void {
    this.unindex(v);
    v.visible = visible;
    for (const e of visible.entries) {
      const set = this.byDevice.get(e.deviceId) ?? new Set<Viewer>();
      set.add(v);
      this.byDevice.set(e.deviceId, set);
    }
  }

  private unindex(v: Viewer): void {
    if (!v.visible) return;
    for (const e of v.visible.entries) {
      const set = this.byDevice.get(e.deviceId);
      set?.delete(v);
      if (set && !set.size) this.byDevice.delete(e.deviceId);
    }
  }
}

export type { Viewer };
