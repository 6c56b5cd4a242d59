// HTML escaping for server-rendered text (the public page, emails): the five characters that can
// end a text node or an attribute value.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// One character class for the test and the replace: a character added to one is in both.
const SPECIAL = /[&<>"']/;
const EVERY_SPECIAL = new RegExp(SPECIAL.source, 'g');

/** Text (or null/undefined, rendered empty) made safe inside an element or a quoted attribute. */
export const esc = (s: unknown): string => {
  const text = String(s ?? '');
  // Most texts have none of the five (a page escapes a hundred or so): a test is cheaper than a
  // replace that finds nothing.
  return SPECIAL.test(text) ? text.replace(EVERY_SPECIAL, (c) => ESCAPES[c]) : text;
};
