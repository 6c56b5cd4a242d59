// Email template variables: the fixed list an editor may use, checking a template before it is
// saved, and rendering it with every value escaped for where it lands (HTML, text, subject).
import { AppError, type ErrorDetail } from '../../shared/errors.js';
import { esc } from '../../shared/html.js';
import type { ShownFields } from '../links/visibility.js';

/**
 * `shows`: the piece of the recipient's link policy (LinkPolicy.fields, links/visibility.ts) the
 * value belongs to; where that link does not show it, the variable renders empty. null: always
 * there (the recipient's own name and link, the sender, the title every page shows).
 */
export const TEMPLATE_VARIABLES = [
  { name: 'shipment.tracking_link', description: "The recipient's own tracking link", example: 'https://track.example.com/t/9f3kQ…', shows: null },
  { name: 'shipment.reference', description: 'Shipment reference', example: 'CN-1042', shows: 'reference' },
  { name: 'shipment.title', description: 'Shipment title', example: '12 pallets of tiles', shows: null },
  { name: 'shipment.status', description: 'Current status, in words', example: 'In transit', shows: 'status' },
  { name: 'shipment.eta', description: 'Estimated arrival of the shipment', example: '1 Dec 2026, 14:00 UTC', shows: 'eta' },
  { name: 'stop.name', description: 'Name of the stop the email is about', example: 'Customer warehouse', shows: 'stops' },
  { name: 'stop.address', description: 'Address of that stop', example: 'High St 2, Rotterdam', shows: 'stops' },
  { name: 'stop.eta', description: 'Estimated arrival at that stop', example: '1 Dec 2026, 13:30 UTC', shows: 'stopEstimates' },
  { name: 'recipient.name', description: 'Name of the person receiving the email', example: 'Dirk', shows: null },
  { name: 'org.name', description: 'Your organization name', example: 'Acme Haulage', shows: null },
] as const satisfies readonly { name: string; description: string; example: string; shows: keyof ShownFields | null }[];

export type VariableName = (typeof TEMPLATE_VARIABLES)[number]['name'];
export type TemplateValues = Record<VariableName, string>;

const KNOWN = new Set<string>(TEMPLATE_VARIABLES.map((v) => v.name));
// No brace inside a tag: each attempt then stops at the next brace, so a scan is linear. A lazy
// `[\s\S]*?` ran from every "{{" to the end of an unclosed text: 200,000 characters of "{{" held
// the event loop for 22 s per preview (any dispatcher may preview a draft).
const TAG = /\{\{([^{}]*)\}\}/g;

export interface TemplateParts {
  subject: string;
  html: string;
  text: string;
}

/**
 * The most "{{" one part of a template may hold. A real template has a few dozen variables; the
 * bound keeps a hostile one (any dispatcher can preview a draft) from costing a scan, and a list
 * of problems, per "{{" of a text of hundreds of thousands of them, whatever the pattern does.
 */
export const MAX_TAGS = 1000;

/** How many "{{" `source` holds, counting no further than `max` + 1. */
function countOpenings(source: string, max: number): number {
  let n = 0;
  for (let at = source.indexOf('{{'); at !== -1 && n <= max; at = source.indexOf('{{', at + 2)) n++;
  return n;
}

/** Every unknown or malformed `{{…}}` in the three parts, reported at once as a validation error. */
export function checkTemplate(parts: Partial<TemplateParts>): void {
  const problems: ErrorDetail[] = [];
  for (const key of ['subject', 'html', 'text'] as const) {
    const source = parts[key];
    if (source === undefined) continue;
    if (countOpenings(source, MAX_TAGS) > MAX_TAGS) {
      problems.push({ path: `body/${key}`, message: `more than ${MAX_TAGS} "{{" in one part` });
      continue;
    }
    for (const m of source.matchAll(TAG)) {
      const name = m[1].trim();
      if (!KNOWN.has(name)) problems.push({ path: `body/${key}`, message: `unknown variable {{${name}}}`, variable: name });
    }
    if (source.replace(TAG, '').includes('{{')) problems.push({ path: `body/${key}`, message: 'a "{{" is never closed with "}}"' });
  }
  if (problems.length) throw AppError.validation('The template uses variables that do not exist', problems);
}


function fill(source: string, values: TemplateValues, escape: (s: string) => string): string {
  return source.replace(TAG, (_all, raw: string) => {
    const name = raw.trim();
    // Saved templates were checked; an unknown name can only come from a hand-edited row and renders empty.
    return KNOWN.has(name) ? escape(values[name as VariableName]) : '';
  });
}

/** A subject is one header line: line breaks in values would otherwise start new headers. */
const oneLine = (s: string): string => s.replace(/[\r\n\t]+/g, ' ');

export function renderTemplate(t: TemplateParts, values: TemplateValues): TemplateParts {
  return {
    subject: oneLine(fill(t.subject, values, (s) => s)).trim(),
    html: fill(t.html, values, esc),
    text: fill(t.text, values, (s) => s),
  };
}

const STATUS_WORDS: Record<string, string> = {
  draft: 'Draft',
  planned: 'Planned',
  in_transit: 'In transit',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  exception: 'Delayed / exception',
};
export const statusWords = (status: string): string => STATUS_WORDS[status] ?? status;

const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
export const formatTime = (iso: string | null | undefined): string => (iso ? `${DATE.format(new Date(iso))} UTC` : '');
