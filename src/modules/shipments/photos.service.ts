// A shipment's photos: upload, download (the owner, a partner the link policy lets see it, the
// public page through its link), delete, and the hero photo the tracking page shows first.
import { AppError } from '../../shared/errors.js';
import type { FileStore } from '../../shared/files.js';
import { newId } from '../../shared/ids.js';
import { nowMs } from '../../shared/time.js';
import { requireRole, type Actor } from '../auth/roles.js';
import { partnerPhotoIds } from '../links/partner-view.js';
import type { ShipmentEventBus } from './shipments.events.js';
import type { ShipmentsRepository } from './shipments.repository.js';
import { newShipmentEvent } from './shipments.rules.js';
import { movedTimes, photoRemovedKey } from './change-times.js';
import type { ShipmentsService } from './shipments.service.js';
import { photoView, type ShipmentView } from './shipments.view.js';

export class PhotosService {
  constructor(
    private readonly repo: ShipmentsRepository,
    private readonly gate: Pick<ShipmentsService, 'requireOwn' | 'readAccess' | 'ownView'>,
    private readonly events: ShipmentEventBus,
    private readonly files: FileStore,
  ) {}

  async add(actor: Actor, id: string, bytes: Buffer, caption?: string) {
    requireRole(actor, 'dispatcher', 'upload photos');
    await this.gate.requireOwn(actor, id);
    const saved = await this.files.save(actor.orgId, bytes, ['image']);
    const now = nowMs();
    const row = { id: newId(), org_id: actor.orgId, shipment_id: id, file: saved.file, content_type: saved.contentType, size_bytes: saved.size, caption: caption?.slice(0, 500) ?? null, created_at: now };
    try {
      await this.repo.transaction(async (trx) => {
        // Held first: deleted since requireOwn, it is the 404, not the photo's foreign key (a 500).
        if (!(await this.repo.lockForChange(trx, actor.orgId, id, now))) throw AppError.notFound('Shipment');
        await this.repo.insertPhoto(trx, row);
      });
    } catch (err) {
      await this.files.remove(saved.file);
      throw err;
    }
    await this.events.runAfterCommit([newShipmentEvent(actor.orgId, id, 'shipment_updated', {}, now)]);
    return photoView(row);
  }

  /** The photo's file, when it belongs to a shipment the caller may read and the photo is theirs to see. */
  async file(actor: Actor, id: string, photoId: string) {
    const access = await this.gate.readAccess(actor, id);
    if (!access.own && !partnerPhotoIds(access.view).includes(photoId)) throw AppError.notFound('Photo');
    return this.fileOf(access.own ? actor.orgId : access.sharedBy.id, id, photoId);
  }

  /** Org-scoped lookup for callers that already proved access (the owner, a partner). */
  async fileOf(orgId: string, shipmentId: string, photoId: string) {
    const f = await this.findFile(orgId, shipmentId, photoId);
    if (!f) throw AppError.notFound('Photo');
    return f;
  }

  /**
   * fileOf, or null when there is no such photo (or its file is gone): the public page, via its link, answers the
   * link's one 404 then (its cached copy may still list a photo removed a moment ago).
   */
  async findFile(orgId: string, shipmentId: string, photoId: string) {
    const p = await this.repo.findPhoto(orgId, shipmentId, photoId);
    const stream = p ? await this.files.open(p.file) : null;
    return p && stream ? { stream, contentType: p.content_type, size: p.size_bytes } : null;
  }

  async delete(actor: Actor, id: string, photoId: string): Promise<void> {
    requireRole(actor, 'dispatcher', 'delete photos');
    const s = await this.gate.requireOwn(actor, id);
    const p = await this.repo.findPhoto(actor.orgId, id, photoId);
    if (!p) throw AppError.notFound('Photo');
    const now = nowMs();
    await this.repo.transaction(async (trx) => {
      const locked = (await this.repo.lockForChange(trx, actor.orgId, id, now)) ?? s;
      await this.repo.deletePhoto(trx, actor.orgId, id, photoId);
      // A link picking this photo, or showing it as the hero, shows the deletion; one that does not, nothing.
      const wasHero = locked.hero_photo_id === photoId;
      const moved = movedTimes(locked, wasHero ? [photoRemovedKey(photoId), 'hero_photo_id'] : [photoRemovedKey(photoId)], now);
      await this.repo.update(trx, actor.orgId, id, { updated_at: now, ...(wasHero ? { hero_photo_id: null } : {}), ...moved });
    });
    await this.files.remove(p.file);
    await this.events.runAfterCommit([newShipmentEvent(actor.orgId, id, 'shipment_updated', {}, now)]);
  }

  async setHero(actor: Actor, id: string, photoId: string | null): Promise<ShipmentView> {
    requireRole(actor, 'dispatcher', 'choose the hero photo');
    await this.gate.requireOwn(actor, id);
    const now = nowMs();
    await this.repo.transaction(async (trx) => {
      const s = await this.repo.lockForChange(trx, actor.orgId, id, now);
      // Looked for with the shipment held, as delete holds it: looked for before, a photo deleted
      // in between became the hero, an id that names nothing.
      if (photoId !== null && !(await this.repo.findPhoto(actor.orgId, id, photoId, trx))) {
        throw AppError.validation('This shipment has no photo with that id', [{ path: 'body/photo_id', message: 'unknown photo' }]);
      }
      const moved = s && s.hero_photo_id !== photoId ? movedTimes(s, ['hero_photo_id'], now) : {};
      await this.repo.update(trx, actor.orgId, id, { hero_photo_id: photoId, updated_at: now, ...moved });
    });
    await this.events.runAfterCommit([newShipmentEvent(actor.orgId, id, 'shipment_updated', {}, now)]);
    return this.gate.ownView(actor, id);
  }
}
