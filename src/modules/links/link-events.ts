// Changes of tracking links, announced to whoever listens (webhooks, the live hub): the admin
// lifecycle (links.service.ts) and the public side (public-link-resolver.ts) both raise them.
export type LinkChangeType = 'created' | 'updated' | 'revoked' | 'regenerated' | 'expired' | 'first_viewed';
/** `regenerated` carries the id of the old link (which stopped working); a `created` for the new one follows. */
export interface LinkChange {
  type: LinkChangeType;
  linkId: string;
  orgId: string;
  shipmentId: string;
}
export type LinkChangeListener = (e: LinkChange) => void;

export class LinkEvents {
  private readonly listeners: LinkChangeListener[] = [];
  private log: (err: unknown) => void = () => {};

  onChange(listener: LinkChangeListener): void {
    this.listeners.push(listener);
  }

  /** Where failures of listeners and of the links' background work are reported. */
  setErrorLog(log: (err: unknown) => void): void {
    this.log = log;
  }

  errorLog(err: unknown): void {
    this.log(err);
  }

  /** A failing listener is logged and never fails the change that was made. */
  emit(type: LinkChangeType, link: { id: string; org_id: string; shipment_id: string }): void {
    const e: LinkChange = { type, linkId: link.id, orgId: link.org_id, shipmentId: link.shipment_id };
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log(err);
      }
    }
  }
}
