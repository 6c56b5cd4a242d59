// Organizations (tenants): settings, branding, billing state and the link template.
import type { Org } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';
import type { ReadStream } from 'node:fs';
import { contentTypeOfFile, type FileStore } from '../../shared/files.js';
import { newId } from '../../shared/ids.js';
import { nowMs, toIso } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireRole, type Actor } from '../auth/roles.js';
import { DEFAULT_LINK_TEMPLATE, parseTemplate, type LinkTemplate } from '../links/template.js';
import type { OrgsRepository } from './orgs.repository.js';
import { countryTimeZone } from '../public-page/i18n.js';
import type { OrgPatch } from './orgs.schema.js';

export type OrgChangeListener = (orgId: string) => void;

export class OrgsService {
  private readonly listeners: OrgChangeListener[] = [];

  constructor(
    private readonly repo: OrgsRepository,
    private readonly audit: AuditService,
    private readonly files: FileStore,
    private readonly publicBaseUrl: string,
  ) {}

  /** Called after any change that can alter what public links show (billing, sharing, template). */
  onChange(listener: OrgChangeListener): void {
    this.listeners.push(listener);
  }
  private changed(orgId: string): void {
    for (const l of this.listeners) l(orgId);
  }

  async create(input: { name: string; country: string }): Promise<Org> {
    const now = nowMs();
    const org: Org = {
      id: newId(),
      name: input.name,
      country: input.country.toUpperCase(),
      brand_color: null,
      logo_file: null,
      billing_state: 'active',
      sharing_enabled: 1,
      auto_create_links: 0,
      link_inactivity_days: 30,
      position_retention_days: 90,
      link_template: JSON.stringify(DEFAULT_LINK_TEMPLATE),
      handle: null,
      created_at: now,
      updated_at: now,
    };
    await this.repo.insert(org);
    return org;
  }

  async require(orgId: string): Promise<Org> {
    const org = await this.repo.find(orgId);
    if (!org) throw AppError.notFound('Organization');
    return org;
  }

  /**
   * An org's logo, public by nature (every tracking page of the org shows it); 404 when the org
   * or its logo does not exist, or its file is gone. A database that fails is its 503, never this 404.
   */
  async publicLogo(orgId: string): Promise<{ stream: ReadStream; contentType: string }> {
    const org = await this.repo.find(orgId);
    const stream = org?.logo_file ? await this.files.open(org.logo_file) : null;
    if (!org?.logo_file || !stream) throw AppError.notFound('Logo');
    return { stream, contentType: contentTypeOfFile(org.logo_file) };
  }

  findByName(name: string) {
    return this.repo.findByName(name);
  }

  async get(actor: Actor) {
    return this.view(await this.require(actor.orgId));
  }

  view(org: Org) {
    return {
      id: org.id,
      name: org.name,
      country: org.country,
      time_zone: countryTimeZone(org.country),
      brand_color: org.brand_color,
      logo_url: org.logo_file ? `${this.publicBaseUrl}/media/logo/${org.id}?v=${org.updated_at}` : null,
      billing_state: org.billing_state,
      sharing_enabled: org.sharing_enabled === 1,
      auto_create_links: org.auto_create_links === 1,
      link_inactivity_days: org.link_inactivity_days,
      position_retention_days: org.position_retention_days,
      handle: org.handle,
      created_at: toIso(org.created_at) as string,
      updated_at: toIso(org.updated_at) as string,
    };
  }

  async update(actor: Actor, patch: OrgPatch) {
    requireRole(actor, 'owner', 'change organization settings');
    const before = await this.require(actor.orgId);
    await this.repo.update(actor.orgId, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.country !== undefined ? { country: patch.country } : {}),
      ...(patch.brand_color !== undefined ? { brand_color: patch.brand_color } : {}),
      ...(patch.billing_state !== undefined ? { billing_state: patch.billing_state } : {}),
      ...(patch.sharing_enabled !== undefined ? { sharing_enabled: patch.sharing_enabled ? 1 : 0 } : {}),
      ...(patch.auto_create_links !== undefined ? { auto_create_links: patch.auto_create_links ? 1 : 0 } : {}),
      ...(patch.link_inactivity_days !== undefined ? { link_inactivity_days: patch.link_inactivity_days } : {}),
      ...(patch.position_retention_days !== undefined ? { position_retention_days: patch.position_retention_days } : {}),
      ...(patch.handle !== undefined ? { handle: patch.handle === null ? null : patch.handle.toLowerCase() } : {}),
      updated_at: nowMs(),
    });
    const changes = Object.fromEntries(
      Object.entries(patch).filter(([k, v]) => (before as unknown as Record<string, unknown>)[k] !== v),
    );
    await this.audit.record(actor, 'org.updated', { type: 'org', id: actor.orgId }, { changes });
    this.changed(actor.orgId);
    return this.get(actor);
  }

  async setLogo(actor: Actor, bytes: Buffer) {
    requireRole(actor, 'owner', 'change the logo');
    const org = await this.require(actor.orgId);
    const saved = await this.files.save(actor.orgId, bytes, ['image']);
    await this.repo.update(actor.orgId, { logo_file: saved.file, updated_at: nowMs() });
    if (org.logo_file) await this.files.remove(org.logo_file);
    await this.audit.record(actor, 'org.logo_updated', { type: 'org', id: actor.orgId });
    this.changed(actor.orgId);
    return this.get(actor);
  }

  async getTemplate(actor: Actor): Promise<LinkTemplate> {
    return parseTemplate((await this.require(actor.orgId)).link_template);
  }

  async putTemplate(actor: Actor, patch: Partial<LinkTemplate>): Promise<LinkTemplate> {
    requireRole(actor, 'owner', 'change the link template');
    // The whole template is stored, so the patch is merged into it as it is once the org is held:
    // merged into one read before, a change committed meanwhile (a section hidden) was written over.
    const next = await this.repo.transaction(async (trx) => {
      const org = await this.repo.lockForChange(trx, actor.orgId);
      if (!org) throw AppError.notFound('Organization');
      const merged: LinkTemplate = { ...parseTemplate(org.link_template), ...patch };
      await this.repo.update(actor.orgId, { link_template: JSON.stringify(merged), updated_at: nowMs() }, trx);
      return merged;
    });
    await this.audit.record(actor, 'link_template.updated', { type: 'org', id: actor.orgId }, { template: next });
    this.changed(actor.orgId);
    return next;
  }
}
