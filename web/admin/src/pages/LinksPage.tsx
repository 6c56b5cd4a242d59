// Every tracking link of the org with its state, shipment, recipient, author and last view; revoke from here.
import { useState } from 'react';
import { call, client } from '../api';
import { formatDateTime, localeOf, relative } from '../format';
import { Link, navigate, qs, useLocation } from '../router';
import { useCan, useSession } from '../session';
import type { LinkState, TrackingLink } from '../types';
import { FormError } from '../components/forms';
import { ConfirmButton } from '../components/ConfirmButton';
import { Flash, LinkStateBadge, LoadStatus, useAction, useFlash, useLoad } from '../components/ui';
import { DataTable } from '../components/DataTable';

const LINK_STATES: readonly LinkState[] = ['active', 'expired', 'revoked'];

export function LinksPage() {
  const loc = useLocation();
  const { me } = useSession();
  const locale = localeOf(me.org.country);
  const canRevoke = useCan('dispatcher');
  const state = loc.query.get('state') ?? '';
  const shipmentId = loc.query.get('shipment_id') ?? '';
  const [cursor, setCursor] = useState<string | null>(null);
  const list = useLoad(() => call(client.GET('/api/v1/links', { params: { query: { state: LINK_STATES.find((s) => s === state), shipment_id: shipmentId || undefined, limit: 100, cursor: cursor ?? undefined } } })), [state, shipmentId, cursor]);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [flash, setFlash] = useFlash();
  const action = useAction();

  const revoke = async (l: TrackingLink) => {
    const ok = await action.run(async () => {
      await call(client.POST('/api/v1/links/{id}/revoke', { params: { path: { id: l.id } } }));
      return true;
    });
    setConfirm(null);
    if (ok) {
      setFlash(`Link for ${l.shipment_reference ?? 'the shipment'} revoked`);
      list.reload();
    }
  };
  const copy = async (l: TrackingLink) => {
    try {
      await navigator.clipboard.writeText(l.url);
      setFlash('Link copied to the clipboard');
    } catch {
      setFlash('Copying is blocked by the browser; select the link and copy it by hand');
    }
  };
  const backfill = async () => {
    const r = await action.run(() => call(client.POST('/api/v1/links/backfill')));
    if (r) {
      setFlash(`Created ${r.created} link${r.created === 1 ? '' : 's'} for shipments that had none`);
      list.reload();
    }
  };

  return (
    <section className="page" aria-labelledby="links-title">
      <div className="page-head">
        <h1 id="links-title">Tracking links</h1>
        {canRevoke ? (
          <button type="button" className="btn" onClick={() => void backfill()} disabled={action.busy} title="Create the general link for every shipment that has none">
            Create missing links
          </button>
        ) : null}
      </div>
      <Flash message={flash} />
      <div className="filters">
        <div className="field">
          <label htmlFor="l-state">State</label>
          <select id="l-state" value={state} onChange={(e) => { setCursor(null); navigate(`/links${qs({ state: e.target.value, shipment_id: shipmentId })}`, { replace: true }); }}>
            <option value="">All states</option>
            <option value="active">Active</option>
            <option value="expired">Expired</option>
            <option value="revoked">Revoked</option>
          </select>
        </div>
        {shipmentId ? (
          <p>
            Showing one shipment's links. <Link to={`/links${qs({ state })}`}>Show all</Link>
          </p>
        ) : null}
      </div>
      <FormError error={action.error} />
      <LoadStatus loaded={list} />
      {list.data && !list.data.items.length ? <p className="empty">No links yet. Open a shipment and use Share tracking to create one.</p> : null}
      {list.data?.items.length ? (
        <DataTable caption="Tracking links" columns={['Shipment', 'State', 'Recipient', 'Created', 'Last viewed', 'Views']} actions>
          {list.data.items.map((l) => (
            <tr key={l.id}>
              <th scope="row" data-label="Shipment">
                <Link to={`/shipments/${l.shipment_id}`}>{l.shipment_reference ?? l.shipment_id.slice(0, 8)}</Link>
                <div className="muted small url">{l.url}</div>
              </th>
              <td data-label="State">
                <LinkStateBadge state={l.state} />
                {l.state === 'active' && l.available === false ? <span className="badge subtle">not available</span> : null}
              </td>
              <td data-label="Recipient">{l.recipient ? l.recipient.name ? `${l.recipient.name} (${l.recipient.email})` : l.recipient.email : 'General link'}</td>
              <td data-label="Created">
                {formatDateTime(l.created_at, locale)}
                <div className="muted small">by {l.created_by ?? '—'}</div>
              </td>
              <td data-label="Last viewed">{l.last_viewed_at ? relative(l.last_viewed_at) : 'never'}</td>
              <td data-label="Views">{l.view_count}</td>
              <td data-label="Actions">
                <div className="cell-actions">
                {l.state === 'active' ? (
                  <button type="button" className="btn tiny" onClick={() => void copy(l)} aria-label={`Copy link of ${l.shipment_reference ?? ''} ${l.recipient?.email ?? ''}`}>
                    Copy
                  </button>
                ) : null}
                {canRevoke && l.state !== 'revoked' ? (
                  <ConfirmButton
                    open={confirm === l.id}
                    onOpen={() => setConfirm(l.id)}
                    onCancel={() => setConfirm(null)}
                    onConfirm={() => void revoke(l)}
                    size="tiny"
                    label={`Revoke link of ${l.shipment_reference ?? ''} ${l.recipient?.email ?? ''}`}
                    confirmText="Yes, revoke"
                  >
                    Revoke
                  </ConfirmButton>
                ) : null}
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {list.data?.next_cursor ? (
        <button type="button" className="btn" onClick={() => setCursor(list.data?.next_cursor ?? null)}>
          Next page
        </button>
      ) : null}
    </section>
  );
}
