// The URL of a link with Copy, the system share sheet (where the browser has one) and its QR code.
import { useEffect, useRef, useState } from 'react';
import { formatDateTime, relative } from '../format';
import type { TrackingLink } from '../types';
import { LinkStateBadge } from './ui';

export function LinkPanel({
  link,
  locale,
  onFlash,
  focusCopy = false,
  onCopyFocused,
}: {
  link: TrackingLink;
  locale: string;
  onFlash: (m: string) => void;
  /** Move focus to Copy (a link was just created: copying it is the next step). */
  focusCopy?: boolean;
  onCopyFocused?: () => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const copyButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!focusCopy || !copyButton.current) return;
    copyButton.current.focus();
    onCopyFocused?.();
  }, [focusCopy, onCopyFocused]);
  const [showQr, setShowQr] = useState(false);
  const canShare = typeof navigator.share === 'function';

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link.url);
      onFlash('Link copied to the clipboard');
    } catch {
      // Some browsers refuse clipboard access; leave the URL selected so Ctrl+C works.
      input.current?.select();
      onFlash('Press Ctrl+C (⌘C) to copy the selected link');
    }
  };
  const share = async () => {
    try {
      await navigator.share({ title: 'Tracking link', url: link.url });
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'AbortError')) onFlash('The share sheet is not available; copy the link instead');
    }
  };

  return (
    <div className="link-panel">
      <div className="link-row">
        <label htmlFor="share-url" className="sr-only">
          Tracking link URL
        </label>
        <input id="share-url" ref={input} className="url-input" readOnly value={link.url} onFocus={(e) => e.target.select()} data-testid="share-url" />
        <button type="button" ref={copyButton} className="btn primary" onClick={() => void copy()}>
          Copy link
        </button>
        {canShare ? (
          <button type="button" className="btn" onClick={() => void share()}>
            Share…
          </button>
        ) : null}
        <button type="button" className="btn" aria-expanded={showQr} aria-controls="share-qr" onClick={() => setShowQr((s) => !s)}>
          QR code
        </button>
      </div>
      <p className="muted small">
        <LinkStateBadge state={link.state} /> {link.state === 'active' && link.available ? 'Anyone with this URL can open the tracking page, no sign-in.' : null} Expires{' '}
        {formatDateTime(link.effective_expires_at ?? link.expires_at, locale)} · last viewed {relative(link.last_viewed_at)} · {link.view_count} views
      </p>
      {showQr ? (
        <div id="share-qr" className="qr">
          <img src={`/api/v1/links/${link.id}/qr.svg`} alt={`QR code for ${link.url}`} width={180} height={180} />
          <a className="btn small" href={`/api/v1/links/${link.id}/qr.svg`} download={`tracking-${link.id}.svg`}>
            Download QR
          </a>
        </div>
      ) : null}
    </div>
  );
}
