// A page of sections reached by tabs: the heading, an optional read-only banner, the tab links
// (each its own URL under basePath, the current one marked for assistive technology) and the panel.
import type { ReactNode } from 'react';
import { Link } from '../router';

export interface Tab {
  id: string;
  label: string;
}

export function TabbedPage({
  name,
  title,
  banner,
  tabs,
  current,
  basePath,
  children,
}: {
  /** Prefix of the heading id, e.g. "settings" for "settings-title". */
  name: string;
  title: string;
  banner?: ReactNode;
  tabs: readonly Tab[];
  current: string;
  basePath: string;
  /** The current tab's panel. */
  children: ReactNode;
}) {
  return (
    <section className="page" aria-labelledby={`${name}-title`}>
      <h1 id={`${name}-title`}>{title}</h1>
      {banner ? <p className="banner">{banner}</p> : null}
      <nav aria-label={`${title} sections`} className="tabs">
        <ul>
          {tabs.map((t) => (
            <li key={t.id}>
              <Link to={`${basePath}/${t.id}`} aria-current={t.id === current ? 'page' : undefined}>
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="tab-panel">{children}</div>
    </section>
  );
}
