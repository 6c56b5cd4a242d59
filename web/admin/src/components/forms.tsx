// Form controls that always carry a label, a hint and the API's validation message for their field.
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { ApiError } from '../api';

interface FieldProps {
  label: string;
  error?: string;
  hint?: ReactNode;
}

/** The ids of a field's error and hint, for aria-describedby on its control. */
export function describedBy(id: string, error?: string, hint?: ReactNode) {
  return [error ? `${id}-err` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
}

/** A field's hint and validation message, below the control (ids match describedBy). */
export function FieldFoot({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  return (
    <>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={`${id}-err`} role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

export function TextField({ label, error, hint, className, ...rest }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className={`field ${error ? 'has-error' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...rest} />
      <FieldFoot id={id} error={error} hint={hint} />
    </div>
  );
}

export function TextArea({ label, error, hint, className, ...rest }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className={`field ${error ? 'has-error' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...rest} />
      <FieldFoot id={id} error={error} hint={hint} />
    </div>
  );
}

export function SelectField({
  label,
  error,
  hint,
  options,
  className,
  ...rest
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly { value: string; label: string }[] }) {
  const id = useId();
  return (
    <div className={`field ${error ? 'has-error' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...rest}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldFoot id={id} error={error} hint={hint} />
    </div>
  );
}

export function Checkbox({ label, error, hint, className, ...rest }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className={`check ${error ? 'has-error' : ''} ${className ?? ''}`}>
      <input id={id} type="checkbox" aria-describedby={describedBy(id, error, hint)} {...rest} />
      <label htmlFor={id}>{label}</label>
      <FieldFoot id={id} error={error} hint={hint} />
    </div>
  );
}

/**
 * The error banner of a form: the API message, plus any field errors the form has no field for
 * (so no validation message is ever lost). `shown` lists the paths the form displays itself.
 */
export function FormError({ error, shown = [] }: { error: unknown; shown?: string[] }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  const message = e ? e.message : error instanceof Error ? error.message : String(error);
  const rest = e ? e.details.filter((d) => !shown.some((p) => d.path === p || d.path.startsWith(p + '/'))) : [];
  return (
    <div className="form-error" role="alert">
      <strong>{message}</strong>
      {rest.length ? (
        <ul>
          {rest.map((d) => (
            <li key={d.path + d.message}>
              <code>{d.path.replace(/^(body|querystring)\//, '')}</code> {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export const fieldError = (error: unknown, path: string): string | undefined => (error instanceof ApiError ? error.field(path) : undefined);
