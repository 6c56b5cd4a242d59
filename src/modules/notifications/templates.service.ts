// Email templates of an org: saved only when every {{variable}} exists, previewed against a real shipment.
import type { Org } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { newestFirstPage, pageOf } from '../../shared/pagination.js';
import { nowMs, toIso } from '../../shared/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireRole, type Actor } from '../auth/roles.js';
import type { OrgsService } from '../orgs/orgs.service.js';
import type { ShipmentsService } from '../shipments/shipments.service.js';
import type { NotificationsRepository, TemplateRow } from './notifications.repository.js';
import type { DraftPreviewInput, ListOnly, PreviewInput, TemplateInput, TemplatePatch } from './notifications.schema.js';
import { linkPolicy } from '../links/visibility.js';
import { hiddenVariables, templateValues } from './email-values.js';
import { checkTemplate, renderTemplate, type TemplateParts } from './render.js';
import { checkAvailable, offeredVariables } from './variable-availability.js';

export function templateView(t: TemplateRow) {
  return { id: t.id, name: t.name, subject: t.subject, html: t.html, text: t.text, created_at: toIso(t.created_at), updated_at: toIso(t.updated_at) };
}

export class TemplatesService {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly shipments: ShipmentsService,
    private readonly orgs: OrgsService,
    private readonly audit: AuditService,
    private readonly publicBaseUrl: string,
  ) {}

  /** Every variable, with whether this org may use it now and why not (variable-availability.ts). */
  async variables(actor: Actor, q: ListOnly) {
    // A fixed catalog: its order is its key, so pages work like every other list's.
    return pageOf(offeredVariables(await this.orgs.require(actor.orgId)), q, (v, i) => ({ at: i, id: v.name }));
  }

  async list(actor: Actor, q: ListOnly) {
    requireRole(actor, 'viewer');
    return newestFirstPage(q, (before, limit) => this.repo.listTemplates(actor.orgId, before, limit), templateView);
  }

  async require(actor: Actor, id: string): Promise<TemplateRow> {
    return AppError.orNotFound(await this.repo.findTemplate(actor.orgId, id), 'Email template');
  }

  async get(actor: Actor, id: string) {
    return templateView(await this.require(actor, id));
  }

  async create(actor: Actor, input: TemplateInput) {
    requireRole(actor, 'admin', 'edit email templates');
    checkTemplate(input);
    checkAvailable(input, await this.orgs.require(actor.orgId));
    const now = nowMs();
    const row: TemplateRow = { id: newId(), org_id: actor.orgId, name: input.name, subject: input.subject, html: input.html, text: input.text, created_at: now, updated_at: now };
    await this.repo.insertTemplate(row);
    await this.audit.record(actor, 'email_template.created', { type: 'email_template', id: row.id }, { name: row.name });
    return templateView(row);
  }

  async update(actor: Actor, id: string, patch: TemplatePatch) {
    requireRole(actor, 'admin', 'edit email templates');
    await this.require(actor, id);
    checkTemplate(patch);
    checkAvailable(patch, await this.orgs.require(actor.orgId));
    await this.repo.updateTemplate(actor.orgId, id, { ...patch, updated_at: nowMs() });
    await this.audit.record(actor, 'email_template.updated', { type: 'email_template', id }, { fields: Object.keys(patch) });
    return this.get(actor, id);
  }

  async delete(actor: Actor, id: string): Promise<void> {
    requireRole(actor, 'admin', 'delete email templates');
    await this.require(actor, id);
    const users = await this.repo.tasksUsingTemplate(actor.orgId, id);
    if (users.length) throw AppError.conflict('Tasks still use this template; change or delete them first', users.map((name) => ({ path: 'tasks', message: name })));
    await this.repo.deleteTemplate(actor.orgId, id);
    await this.audit.record(actor, 'email_template.deleted', { type: 'email_template', id });
  }

  /** Renders a saved template; the link is a stand-in, since a preview must not create real links. */
  async preview(actor: Actor, id: string, input: PreviewInput) {
    requireRole(actor, 'dispatcher', 'preview emails');
    const t = await this.require(actor, id);
    checkAvailable(t, await this.orgs.require(actor.orgId));
    return this.render(actor, t, input);
  }

  /** Renders an unsaved draft, so an editor can show the result while typing. */
  async previewDraft(actor: Actor, input: DraftPreviewInput) {
    requireRole(actor, 'dispatcher', 'preview emails');
    checkTemplate(input);
    checkAvailable(input, await this.orgs.require(actor.orgId));
    return this.render(actor, input, input);
  }

  /**
   * Rendered with the policy a recipient's new link gets (the org's link template): variables
   * that link does not show render empty, and `warnings` says which and why.
   */
  private async render(actor: Actor, t: TemplateParts, input: PreviewInput) {
    const shipment = await this.shipments.viewFor(actor.orgId, input.shipment_id);
    if (!shipment) throw AppError.notFound('Shipment');
    if (input.stop_index !== undefined && !shipment.stops.some((s) => s.index === input.stop_index)) {
      throw AppError.validation('No stop with this index', [{ path: 'body/stop_index', message: `the shipment has ${shipment.stops.length} stops` }]);
    }
    const org = await this.orgs.require(actor.orgId);
    const name = input.recipient?.name ?? 'Recipient';
    const policy = linkPolicy(org, shipment, {});
    const values = templateValues(org, shipment, policy, input.stop_index ?? null, name, `${this.publicBaseUrl}/t/preview-of-the-recipients-own-link`);
    return { ...renderTemplate(t, values), warnings: hiddenVariables(t, policy) };
  }
}
