// A template field (input or textarea) with a variable picker: typing "{{" or pressing
// "Insert variable" opens a searchable list, and the chosen {{variable}} lands at the cursor.
import { useId, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { FieldFoot, describedBy } from '../components/forms';
import type { TemplateVariable } from './types';

interface Props {
  label: string;
  value: string;
  onChange: (v: string) => void;
  variables: TemplateVariable[];
  error?: string;
  hint?: string;
  multiline?: boolean;
  rows?: number;
  disabled?: boolean;
  name?: string;
}

type Control = HTMLInputElement | HTMLTextAreaElement;

export function VariableField({ label, value, onChange, variables, error, hint, multiline, rows = 8, disabled, name }: Props) {
  const id = useId();
  const ref = useRef<Control | null>(null);
  // Where the variable goes: the caret (or selection) when the picker opened, and whether the
  // user's own "{{" just before it should be replaced by the full token.
  const at = useRef({ start: value.length, end: value.length, typedBraces: false });
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  const openPicker = (typedBraces: boolean) => {
    const el = ref.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? start;
    at.current = { start: typedBraces ? start - 2 : start, end, typedBraces };
    setQuery('');
    setActive(0);
    setOpen(true);
  };

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) ref.current?.focus();
  };

  const insert = (v: TemplateVariable) => {
    // Offered so the editor sees why it is missing, but not insertable (the API would refuse it).
    if (v.available === false) return;
    const { start, end } = at.current;
    const next = value.slice(0, start) + v.token + value.slice(end);
    onChange(next);
    setOpen(false);
    const caret = start + v.token.length;
    // After React has written the new value, put the caret right after the inserted variable.
    requestAnimationFrame(() => {
      const el = ref.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(caret, caret);
    });
  };

  const change = (e: ChangeEvent<Control>) => {
    const v = e.target.value;
    onChange(v);
    const caret = e.target.selectionStart ?? v.length;
    if (v.length > value.length && v.slice(caret - 2, caret) === '{{' && v.slice(caret, caret + 2) !== '}}') openPicker(true);
  };

  const q = query.trim().toLowerCase();
  const shown = q ? variables.filter((v) => v.name.toLowerCase().includes(q) || v.description.toLowerCase().includes(q)) : variables;

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, shown.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const pick = shown[active];
      if (pick) insert(pick);
    }
  };

  const described = describedBy(id, error, hint);
  const common = {
    id,
    name,
    value,
    disabled,
    onChange: change,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described,
  };
  const listId = `${id}-vars`;
  return (
    <div className={`field var-field ${error ? 'has-error' : ''}`}>
      <div className="var-field-head">
        <label htmlFor={id}>{label}</label>
        {!disabled ? (
          <button type="button" className="btn tiny ghost" aria-expanded={open} aria-controls={open ? `${id}-picker` : undefined} onClick={() => (open ? close(true) : openPicker(false))}>
            Insert variable<span className="sr-only"> into {label}</span>
          </button>
        ) : null}
      </div>
      {multiline ? (
        <textarea {...common} ref={(el) => void (ref.current = el)} rows={rows} spellCheck={false} />
      ) : (
        <input {...common} ref={(el) => void (ref.current = el)} type="text" />
      )}
      {open ? (
        <div className="var-picker" id={`${id}-picker`} role="group" aria-label={`Variables for ${label}`}>
          <label htmlFor={`${id}-search`} className="sr-only">
            Search variables
          </label>
          <input
            id={`${id}-search`}
            type="search"
            placeholder="Search variables…"
            autoFocus
            value={query}
            role="combobox"
            aria-expanded="true"
            aria-controls={listId}
            aria-activedescendant={shown[active] ? `${listId}-${active}` : undefined}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
            }}
            onKeyDown={onSearchKey}
          />
          <ul id={listId} role="listbox" aria-label="Variables">
            {shown.map((v, i) => (
              <li
                key={v.name}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                aria-disabled={v.available === false ? true : undefined}
                className={[i === active ? 'active' : '', v.available === false ? 'unavailable' : ''].join(' ').trim() || undefined}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => insert(v)}
              >
                <code>{v.token}</code>
                <span className="muted small">
                  {v.available === false ? `Not available: ${v.unavailable_reason ?? ''}` : `${v.description} — e.g. ${v.example}`}
                </span>
              </li>
            ))}
            {!shown.length ? <li className="muted small">No variable matches “{query}”.</li> : null}
          </ul>
        </div>
      ) : null}
      <FieldFoot id={id} error={error} hint={hint} />
    </div>
  );
}
