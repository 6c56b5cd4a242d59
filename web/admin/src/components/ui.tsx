// Small shared pieces: modal dialog, badges, loading and empty states, async data hook.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { messageOf } from '../api';
import { LINK_STATE_LABEL, STATUS_LABEL } from '../format';
import type { LinkState, ShipmentStatus } from '../types';

/** A native modal <dialog>: focus is trapped, Escape closes, focus returns to the opener. */
export function Dialog({
  open,
  title,
  onClose,
  children,
  wide,
  labelId,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  labelId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
    } else if (!open && d.open) {
      d.close();
      if (opener.current instanceof HTMLElement) opener.current.focus();
    }
  }, [open]);
  const id = labelId ?? 'dialog-title';
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog wide' : 'dialog'}
      aria-labelledby={id}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <>
          <header className="dialog-head">
            <h2 id={id}>{title}</h2>
            <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          <div className="dialog-body">{children}</div>
        </>
      ) : null}
    </dialog>
  );
}

export function StatusBadge({ status }: { status: ShipmentStatus }) {
  return <span className={`badge status-${status}`}>{STATUS_LABEL[status] ?? status}</span>;
}

export function LinkStateBadge({ state }: { state: LinkState }) {
  return <span className={`badge link-${state}`}>{LINK_STATE_LABEL[state] ?? state}</span>;
}

export function PublicIndicator() {
  return (
    <span className="badge public" title="An active tracking link exists: this shipment is publicly viewable">
      <span aria-hidden="true" className="dot" /> Public tracking
    </span>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="form-error" role="alert">
      <strong>{messageOf(error)}</strong>{' '}
      {onRetry ? (
        <button type="button" className="btn small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  set: (v: T) => void;
}

/** Loads data for a screen; errors are kept for display, never left as unhandled rejections. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    setLoading(true);
    run().then(
      (v) => {
        if (!live) return;
        setData(v);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [run, tick]);
  // Stable, so a screen may reload on a timer without restarting it at every render.
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, set: setData };
}

/** The loading line, or the error with a retry, of a useLoad; nothing once its data is in. */
export function LoadStatus({ loaded }: { loaded: Pick<Loaded<unknown>, 'data' | 'error' | 'loading' | 'reload'> }) {
  if (loaded.loading && !loaded.data) return <Loading />;
  return loaded.error ? <ErrorNote error={loaded.error} onRetry={loaded.reload} /> : null;
}

/** Runs an action with a busy flag and a kept error; resolves to the result or undefined on failure. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

/** A polite live region message that clears itself. */
export function useFlash(): [string, (m: string) => void] {
  const [msg, setMsg] = useState('');
  const timer = useRef<number | undefined>(undefined);
  const flash = useCallback((m: string) => {
    setMsg(m);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setMsg(''), 4000);
  }, []);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return [msg, flash];
}

/** Where a useFlash message shows: the live region stays in the page so each new message is announced. */
export function Flash({ message }: { message: string }) {
  return (
    <p role="status" aria-live="polite" className={message ? 'flash' : 'sr-only'}>
      {message}
    </p>
  );
}
