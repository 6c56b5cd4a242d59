// Which email-template variables an org may use right now, and why not. `{{shipment.tracking_link}}`
// needs sharing on: with it off no tracking link opens, so an email must not promise one. The
// editor offers such a variable as unavailable with the reason; saving or previewing a template
// that uses it is a 400 naming the variable and the reason.
import type { Org } from '../../db/schema.js';
import { AppError, type ErrorDetail } from '../../shared/errors.js';
import { TEMPLATE_VARIABLES, type TemplateParts, type VariableName } from './render.js';

export const SHARING_OFF_REASON =
  'Public tracking links are turned off for this organization (Settings → Organization → Sharing enabled), so no tracking link opens and an email cannot carry one.';

/** Variables the org cannot use now, each with the reason (empty when all are available). */
export function unavailableVariables(org: Pick<Org, 'sharing_enabled'>): Map<VariableName, { code: 'sharing_disabled'; reason: string }> {
  const out = new Map<VariableName, { code: 'sharing_disabled'; reason: string }>();
  if (org.sharing_enabled !== 1) out.set('shipment.tracking_link', { code: 'sharing_disabled', reason: SHARING_OFF_REASON });
  return out;
}

/** The variable list as the editor offers it to this org. */
export function offeredVariables(org: Pick<Org, 'sharing_enabled'>) {
  const off = unavailableVariables(org);
  return TEMPLATE_VARIABLES.map((v) => {
    const why = off.get(v.name);
    return { name: v.name, token: `{{${v.name}}}`, description: v.description, example: v.example, available: !why, unavailable_reason: why?.reason ?? null };
  });
}

const TAG = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Refuses a template (the parts sent) that uses a variable the org cannot use now. */
export function checkAvailable(parts: Partial<TemplateParts>, org: Pick<Org, 'sharing_enabled'>): void {
  const off = unavailableVariables(org);
  if (!off.size) return;
  const problems: ErrorDetail[] = [];
  for (const key of ['subject', 'html', 'text'] as const) {
    for (const m of (parts[key] ?? '').matchAll(TAG)) {
      const why = off.get(m[1] as VariableName);
      if (why) problems.push({ path: `body/${key}`, message: `{{${m[1]}}} is not available: ${why.reason}`, variable: m[1], reason: why.code });
    }
  }
  if (problems.length) throw AppError.validation(`The template uses a variable this organization cannot use now: ${problems.map((p) => `{{${String(p.variable)}}}`).filter((v, i, a) => a.indexOf(v) === i).join(', ')}`, problems);
}
