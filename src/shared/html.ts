// HTML escaping for server-rendered text (the public page, emails): the five characters that can
// end a text node or an attribute value.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text (or null/undefined, rendered empty) made safe inside an element or a quoted attribute. */
export const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
