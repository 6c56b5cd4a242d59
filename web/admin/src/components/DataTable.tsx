// The admin's list table: scrolls sideways in its wrapper, stacks into labelled rows on small
// screens (cells carry data-label), named by a caption only screen readers need.
import type { ReactNode } from 'react';

export function DataTable({
  caption,
  columns,
  actions,
  after,
  children,
}: {
  caption?: string;
  columns: readonly string[];
  /** Adds a last column for row buttons, named "Actions" for screen readers only. */
  actions?: boolean;
  /** Shown under the table, inside the same wrapper. */
  after?: ReactNode;
  /** The rows. */
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className="table responsive">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            {actions ? (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      {after}
    </div>
  );
}
