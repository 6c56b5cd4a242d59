// A button whose action needs a second click: the first swaps it for "Yes, …" and a way back.
// The open state stays with the caller, so a list can keep at most one row asking at a time.
import type { ReactNode } from 'react';

type Size = 'tiny' | 'small';

const cls = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' ');

export function ConfirmButton({
  open,
  onOpen,
  onCancel,
  onConfirm,
  children,
  size,
  triggerSize = size,
  tone = 'danger',
  outline = tone === 'danger',
  label,
  disabled,
  confirmText,
  confirmDisabled,
  cancelText = 'Keep',
  groupLabel,
  prompt,
}: {
  open: boolean;
  onOpen: () => void;
  onCancel: () => void;
  onConfirm: () => void;
  /** The text of the first button. */
  children: ReactNode;
  /** Size of the confirm and cancel buttons. */
  size?: Size;
  /** Size of the first button when it differs (null: regular), e.g. a page action that asks in small print. */
  triggerSize?: Size | null;
  /** Colour of the confirm button. */
  tone?: 'danger' | 'primary';
  /** Outline the first button in red; by default when the action is destructive. */
  outline?: boolean;
  /** Accessible name of the first button when its text alone is ambiguous in a list. */
  label?: string;
  disabled?: boolean;
  confirmText: string;
  confirmDisabled?: boolean;
  cancelText?: string;
  /** Names the confirm group for assistive technology; without it the group has no role. */
  groupLabel?: string;
  /** Says what will happen, shown before the confirm button. */
  prompt?: ReactNode;
}) {
  if (!open) {
    return (
      <button type="button" className={cls('btn', triggerSize ?? undefined, outline ? 'danger-outline' : undefined)} onClick={onOpen} disabled={disabled} aria-label={label}>
        {children}
      </button>
    );
  }
  return (
    <span className="confirm" role={groupLabel ? 'group' : undefined} aria-label={groupLabel}>
      {prompt}
      <button type="button" className={cls('btn', size, tone)} onClick={onConfirm} disabled={confirmDisabled}>
        {confirmText}
      </button>
      <button type="button" className={cls('btn', size, 'ghost')} onClick={onCancel}>
        {cancelText}
      </button>
    </span>
  );
}

/**
 * "Delete" for one item of a list, asking "Yes, delete" in its place. `asking` is the list's one
 * open question and its setter (the id of the item asking, or null), so only one item asks at a time.
 */
export function ConfirmDelete({
  id,
  asking: [askingId, setAsking],
  onDelete,
  label,
  groupLabel,
  size = 'tiny',
}: {
  id: string;
  asking: [string | null, (id: string | null) => void];
  onDelete: () => void;
  /** Accessible name of the Delete button, naming the item. */
  label: string;
  groupLabel: string;
  size?: Size;
}) {
  return (
    <ConfirmButton open={askingId === id} onOpen={() => setAsking(id)} onCancel={() => setAsking(null)} onConfirm={onDelete} size={size} label={label} confirmText="Yes, delete" groupLabel={groupLabel}>
      Delete
    </ConfirmButton>
  );
}

/**
 * What a list's "Yes, delete" does: close the question, send the DELETE through the list's
 * `action` (its error shows where the list shows action errors), and on success `deleted(item)`
 * (a flash, a reload).
 */
export function confirmedDelete<T>({
  action,
  close,
  request,
  deleted,
}: {
  action: { run: <R>(fn: () => Promise<R>) => Promise<R | undefined> };
  close: () => void;
  request: (item: T) => Promise<unknown>;
  deleted: (item: T) => void;
}): (item: T) => Promise<void> {
  return async (item) => {
    close();
    const ok = await action.run(async () => {
      await request(item);
      return true;
    });
    if (ok) deleted(item);
  };
}
