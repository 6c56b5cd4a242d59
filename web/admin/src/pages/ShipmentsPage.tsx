// The shipment list: the org's own shipments and those partner organizations shared with it;
// search by reference, filter by status, by "publicly tracked" and by whose shipments they are.
import { useEffect, useState, type FormEvent } from 'react';
import { call, client, PAGE_ALL } from '../api';
import { formatDateTime, localeOf, STATUS_LABEL } from '../format';
import { Link, navigate, qs, useLocation } from '../router';
import { useCan, useSession } from '../session';
import type { Page, Shipment, ShipmentStatus } from '../types';
import { ErrorNote, Loading, PublicIndicator, StatusBadge, useLoad } from '../components/ui';
import { DataTable } from '../components/DataTable';

const STATUSES = Object.keys(STATUS_LABEL) as ShipmentStatus[];

export function ShipmentsPage() {
  const loc = useLocation();
  const { me } = useSession();
  const locale = localeOf(me.org.country);
  const canWrite = useCan('dispatcher');
  const q = loc.query.get('q') ?? '';
  const status = loc.query.get('status') ?? '';
  const tracked = loc.query.get('tracked') ?? '';
  // '' = ours and shared with us, 'own' = ours only, 'shared' = shared with us only.
  const owner = loc.query.get('owner') ?? '';
  const ownerQuery = owner === 'shared' ? { shared: true } : owner === 'own' ? {} : { include_shared: true };
  // The list's filters from the app URL (a hand-edited, unknown status or flag filters nothing).
  const query = { q: q || undefined, status: STATUSES.find((s) => s === status), tracked: tracked === 'true' ? true : tracked === 'false' ? false : undefined, ...ownerQuery, limit: 50 };
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);

  const list = useLoad<Page<Shipment>>(() => call(client.GET('/api/v1/shipments', { params: { query } })), [q, status, tracked, owner]);
  // Which shipments are publicly tracked right now, for the indicator in each row.
  const publicIds = useLoad(
    () =>
      call(client.GET('/api/v1/links', { params: { query: { state: 'active', limit: PAGE_ALL } } }))
        .then((p) => new Set(p.items.filter((l) => l.available !== false).map((l) => l.shipment_id)))
        .catch(() => new Set<string>()),
    [q, status, tracked, owner],
  );
  const [more, setMore] = useState<Shipment[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  useEffect(() => {
    setMore([]);
    setCursor(list.data?.next_cursor ?? null);
  }, [list.data]);

  const setFilter = (patch: Record<string, string>) => {
    const next = { q, status, tracked, owner, ...patch };
    navigate(`/shipments${qs(next)}`, { replace: true });
  };
  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    setFilter({ q: search.trim() });
  };
  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await call(client.GET('/api/v1/shipments', { params: { query: { ...query, cursor } } }));
      setMore((m) => [...m, ...page.items]);
      setCursor(page.next_cursor);
    } catch (e) {
      setMoreError(e);
    }
  };
  const rows = [...(list.data?.items ?? []), ...more];

  return (
    <section className="page" aria-labelledby="shipments-title">
      <div className="page-head">
        <h1 id="shipments-title">Shipments</h1>
        {canWrite ? (
          <Link to="/shipments/new" className="btn primary">
            New shipment
          </Link>
        ) : null}
      </div>
      <form className="filters" role="search" aria-label="Filter shipments" onSubmit={onSearch}>
        <div className="field grow">
          <label htmlFor="f-q">Search</label>
          <input id="f-q" type="search" placeholder="Reference, title or customer reference" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" value={status} onChange={(e) => setFilter({ status: e.target.value })}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-tracked">Public tracking</label>
          <select id="f-tracked" value={tracked} onChange={(e) => setFilter({ tracked: e.target.value })}>
            <option value="">All shipments</option>
            <option value="true">Publicly tracked</option>
            <option value="false">Not publicly tracked</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-owner">Whose</label>
          <select id="f-owner" value={owner} onChange={(e) => setFilter({ owner: e.target.value })}>
            <option value="">Ours and shared with us</option>
            <option value="own">Ours</option>
            <option value="shared">Shared with us by partners</option>
          </select>
        </div>
        <button type="submit" className="btn">
          Search
        </button>
      </form>

      {list.loading ? <Loading /> : list.error ? <ErrorNote error={list.error} onRetry={list.reload} /> : null}
      {!list.loading && !list.error && rows.length === 0 ? (
        <div className="empty">
          <p>No shipments match.</p>
          {canWrite && !q && !status && !tracked && !owner ? <Link to="/shipments/new">Create the first shipment</Link> : null}
        </div>
      ) : null}
      {rows.length ? (
        <DataTable caption="Shipments" columns={['Reference', 'Title', 'Kind', 'Status', 'ETA', 'Updated']}>
          {rows.map((s) => (
            <tr key={s.id}>
              <th scope="row" data-label="Reference">
                <Link to={`/shipments/${s.id}`}>{s.reference}</Link>
                {s.shared_by_org_id ? <span className="badge subtle">Shared by {s.shared_by?.name ?? 'a partner'}</span> : null}
                {publicIds.data?.has(s.id) ? <PublicIndicator /> : null}
              </th>
              <td data-label="Title">{s.title ?? '—'}</td>
              <td data-label="Kind">{s.kind.replace('_', ' ')}</td>
              <td data-label="Status">
                <StatusBadge status={s.status} />
              </td>
              <td data-label="ETA">{formatDateTime(s.eta, locale)}</td>
              <td data-label="Updated">{formatDateTime(s.updated_at, locale)}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {moreError ? <ErrorNote error={moreError} /> : null}
      {cursor ? (
        <button type="button" className="btn" onClick={() => void loadMore()}>
          Load more
        </button>
      ) : null}
    </section>
  );
}
