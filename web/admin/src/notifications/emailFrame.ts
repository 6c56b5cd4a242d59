// Shows a rendered email under the app's strict CSP. A srcdoc frame inherits that CSP, which
// blocks (and logs) every style attribute, <style> element and remote image of the email. So the
// HTML is parsed inertly, scripts, handlers and embedded content are dropped, styles are taken out
// and re-applied through the CSSOM (which the CSP allows), and remote images are left unloaded.

export interface PreparedEmail {
  html: string;
  styles: string[];
  sheets: string[];
  remoteImages: number;
}

const DROP = 'script, noscript, iframe, frame, frameset, object, embed, applet, link, meta, base, form, input, button, textarea, select, video, audio, source, track';

/** Attribute text as the browser would read it (entities such as &quot; decoded), without parsing markup. */
function decodeEntities(v: string): string {
  const t = document.createElement('textarea');
  t.innerHTML = v;
  return t.value;
}

export function prepareEmail(html: string): PreparedEmail {
  // Every HTML parser in the page (DOMParser, <template>, the frame) reports style attributes and
  // <style> elements as CSP violations, so they are lifted out of the source text before parsing.
  // This only shapes the preview; safety comes from the sandbox and the CSP.
  const sheets: string[] = [];
  const styles: string[] = [];
  const source = html
    .replace(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi, (_all, css: string) => {
      sheets.push(css);
      return '';
    })
    .replace(/<[a-zA-Z][^>]*>/g, (tag) =>
      tag.replace(/(\s)style\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi, (_all, space: string, dq?: string, sq?: string, bare?: string) => {
        styles.push(decodeEntities(dq ?? sq ?? bare ?? ''));
        return `${space}data-tl-style="${styles.length - 1}"`;
      }),
    );
  const doc = new DOMParser().parseFromString(source, 'text/html');
  doc.querySelectorAll(DROP).forEach((e) => e.remove());
  doc.querySelectorAll('style').forEach((e) => e.remove());
  let remoteImages = 0;
  doc.querySelectorAll('*').forEach((el) => {
    for (const a of [...el.attributes]) if (/^on/i.test(a.name) || a.name === 'background' || a.name === 'srcset' || a.name === 'style') el.removeAttribute(a.name);
    if (el.tagName === 'IMG') {
      const src = el.getAttribute('src') ?? '';
      if (!/^data:image\/(png|gif|jpeg|webp);/i.test(src)) {
        el.removeAttribute('src');
        if (src) remoteImages++;
      }
    }
  });
  // url(...) in styles would load remote images too; the preview keeps the rest of the rule.
  const noUrls = (css: string) => css.replace(/url\([^)]*\)/gi, 'none');
  return { html: `<!doctype html>${doc.documentElement.outerHTML}`, styles: styles.map(noUrls), sheets: sheets.map(noUrls), remoteImages };
}

/** Called on the frame's load: styles back on through the CSSOM, and links made inert. */
export function dressFrame(frame: HTMLIFrameElement, email: PreparedEmail): void {
  const doc = frame.contentDocument;
  const win = frame.contentWindow as (Window & typeof globalThis) | null;
  if (!doc || !win) return;
  doc.querySelectorAll<HTMLElement>('[data-tl-style]').forEach((el) => {
    el.style.cssText = email.styles[Number(el.getAttribute('data-tl-style'))] ?? '';
  });
  if (email.sheets.length) {
    try {
      const sheet = new win.CSSStyleSheet();
      sheet.replaceSync(email.sheets.join('\n'));
      doc.adoptedStyleSheets = [sheet];
    } catch {
      // A stylesheet the browser cannot parse is simply not shown in the preview.
    }
  }
  // The preview's stand-in link leads nowhere; clicking it must not navigate the frame.
  doc.addEventListener('click', (e) => {
    if ((e.target as Element | null)?.closest?.('a')) e.preventDefault();
  });
}
