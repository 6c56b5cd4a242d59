// Partner organizations: invitations for this org to accept or decline, inviting another org by
// its handle or an admin's email, the connected partners (either side may end a partnership) and
// the invitations this org sent. Which shipments a partner sees is chosen on each shipment.
import { useState, type FormEvent } from 'react';
import { all, call, client, PAGE_ALL } from '../api';
import { formatDateTime, localeOf } from '../format';
import { Link } from '../router';
import { useCan, useSession } from '../session';
import type { Partner, ReceivedInvitation, SentInvitation } from '../types';
import { FormError, TextField, fieldError } from '../components/forms';
import { Flash, LoadStatus, useAction, useFlash, useLoad } from '../components/ui';
import { ConfirmButton } from '../components/ConfirmButton';
import { DataTable } from '../components/DataTable';

const STATE_LABEL: Record<SentInvitation['state'], string> = { pending: 'Pending', accepted: 'Accepted', withdrawn: 'Withdrawn', expired: 'Expired' };

export function PartnersPage() {
  const { me } = useSession();
  const locale = localeOf(me.org.country);
  const canManage = useCan('admin');
  const isOwner = useCan('owner');
  const partners = useLoad(() => all((cursor) => client.GET('/api/v1/partners', { params: { query: { limit: PAGE_ALL, cursor } } })), []);
  // Invitations are for owners and admins (the API answers others 403): other roles see none.
  const received = useLoad(async () => (canManage ? (await call(client.GET('/api/v1/partner-invitations/received', { params: { query: { limit: 100 } } }))).items : []), [canManage]);
  const sent = useLoad(async () => (canManage ? (await call(client.GET('/api/v1/partner-invitations', { params: { query: { limit: 100 } } }))).items : []), [canManage]);
  const [address, setAddress] = useState('');
  const [ending, setEnding] = useState<string | null>(null);
  const [flash, setFlash] = useFlash();
  const invite = useAction();
  const action = useAction();
  const field = address.includes('@') && !address.startsWith('@') ? 'email' : 'handle';

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const value = address.trim();
    const r = await invite.run(() => call(client.POST('/api/v1/partner-invitations', { body: field === 'email' ? { email: value } : { handle: value } })));
    if (r) {
      setAddress('');
      setFlash(r.message);
      sent.reload();
    }
  };
  const answer = async (inv: ReceivedInvitation, verb: 'accept' | 'decline') => {
    const ok = await action.run(async () => {
      const path = { params: { path: { id: inv.id } } };
      await call(verb === 'accept' ? client.POST('/api/v1/partner-invitations/{id}/accept', path) : client.POST('/api/v1/partner-invitations/{id}/decline', path));
      return true;
    });
    if (ok) {
      setFlash(verb === 'accept' ? `You are now partners with ${inv.from.name}` : `Invitation from ${inv.from.name} declined. They are not told: to them it stays unanswered until it expires.`);
      received.reload();
      partners.reload();
    }
  };
  const end = async (p: Partner) => {
    setEnding(null);
    const ok = await action.run(async () => {
      await call(client.DELETE('/api/v1/partners/{id}', { params: { path: { id: p.org_id } } }));
      return true;
    });
    if (ok) {
      setFlash(`Partnership with ${p.name} ended`);
      partners.reload();
    }
  };
  const withdraw = async (inv: SentInvitation) => {
    const ok = await action.run(async () => {
      await call(client.DELETE('/api/v1/partner-invitations/{id}', { params: { path: { id: inv.id } } }));
      return true;
    });
    if (ok) sent.reload();
  };

  return (
    <section className="page stack" aria-labelledby="partners-page-title">
      <div className="page-head">
        <h1 id="partners-page-title">Partners</h1>
      </div>
      <p className="hint">
        Forwarders and couriers you work with follow the shipments you share with them in their own Tracklink: status, stops, cargo, ETA and positions — never your internal data, contacts
        or tracking links, and they cannot share them on.{' '}
        {me.org.handle ? (
          <>
            Partners invite you as <strong>@{me.org.handle}</strong>.
          </>
        ) : isOwner ? (
          <>
            Give your organization a <Link to="/settings/organization">public handle</Link> so partners can invite you by it.
          </>
        ) : (
          <>Partners can invite you by the email of one of your admins.</>
        )}
      </p>
      <Flash message={flash} />
      <FormError error={action.error} />

      {received.data?.length ? (
        <section className="card" aria-labelledby="received-title">
          <h2 id="received-title">Invitations for you</h2>
          <ul className="plain">
            {received.data.map((inv) => (
              <li key={inv.id} className="invitation">
                <strong>{inv.from.name}</strong> {inv.from.handle ? <span className="muted small">@{inv.from.handle}</span> : null}{' '}
                <span className="muted small">
                  invited {inv.address} on {formatDateTime(inv.created_at, locale)}
                </span>
                <span className="actions">
                  <button type="button" className="btn small primary" onClick={() => void answer(inv, 'accept')} disabled={action.busy} aria-label={`Accept the invitation from ${inv.from.name}`}>
                    Accept
                  </button>
                  <button type="button" className="btn small ghost" onClick={() => void answer(inv, 'decline')} disabled={action.busy} aria-label={`Decline the invitation from ${inv.from.name}`}>
                    Decline
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <LoadStatus loaded={received} />
      )}

      {canManage ? (
        <form className="card stack" onSubmit={(e) => void send(e)} noValidate aria-label="Invite a partner organization">
          <h2>Invite a partner</h2>
          <FormError error={invite.error} shown={['body/handle', 'body/email']} />
          <TextField
            label="Their handle or an admin’s email"
            value={address}
            placeholder="@acme-haulage or ops@acme.example"
            onChange={(e) => setAddress(e.target.value)}
            error={fieldError(invite.error, `body/${field}`)}
            hint="They see the invitation in their Partners page and accept it. You will not learn whether such an organization exists until it accepts."
          />
          <div className="actions">
            <button type="submit" className="btn primary" disabled={invite.busy || !address.trim()}>
              Send invitation
            </button>
          </div>
        </form>
      ) : null}

      <section className="card" aria-labelledby="connected-title">
        <h2 id="connected-title">Connected partners</h2>
        <LoadStatus loaded={partners} />
        {partners.data?.length ? (
          <DataTable caption="Connected partners" columns={['Organization', 'Handle', 'Since']} actions={canManage}>
            {partners.data.map((p) => (
              <tr key={p.org_id}>
                <th scope="row" data-label="Organization">
                  {p.name}
                </th>
                <td data-label="Handle">{p.handle ? `@${p.handle}` : '—'}</td>
                <td data-label="Since">{formatDateTime(p.since, locale)}</td>
                {canManage ? (
                  <td>
                    <ConfirmButton
                      open={ending === p.org_id}
                      onOpen={() => setEnding(p.org_id)}
                      onCancel={() => setEnding(null)}
                      onConfirm={() => void end(p)}
                      size="tiny"
                      triggerSize="tiny"
                      label={`End partnership with ${p.name}`}
                      confirmText="End partnership"
                      groupLabel={`Confirm ending the partnership with ${p.name}`}
                      prompt={<span className="small">Every shipment shared between you stops being shared. </span>}
                    >
                      End
                    </ConfirmButton>
                  </td>
                ) : null}
              </tr>
            ))}
          </DataTable>
        ) : partners.data ? (
          <p className="muted">No partners yet.</p>
        ) : null}
      </section>

      {canManage ? (
        <section className="card" aria-labelledby="sent-title">
          <h2 id="sent-title">Invitations you sent</h2>
          <LoadStatus loaded={sent} />
          {sent.data?.length ? (
            <DataTable caption="Invitations you sent" columns={['To', 'State', 'Sent', 'Expires']} actions>
              {sent.data.map((inv) => (
                <tr key={inv.id}>
                  <th scope="row" data-label="To">
                    {inv.address}
                    {inv.partner ? <div className="muted small">{inv.partner.name}</div> : null}
                  </th>
                  <td data-label="State">
                    <span className={`badge ${inv.state === 'accepted' ? 'link-active' : inv.state === 'pending' ? 'subtle' : 'link-revoked'}`}>{STATE_LABEL[inv.state]}</span>
                  </td>
                  <td data-label="Sent">{formatDateTime(inv.created_at, locale)}</td>
                  <td data-label="Expires">{inv.state === 'pending' ? formatDateTime(inv.expires_at, locale) : '—'}</td>
                  <td>
                    {inv.state === 'pending' ? (
                      <button type="button" className="btn tiny ghost" onClick={() => void withdraw(inv)} aria-label={`Withdraw the invitation to ${inv.address}`}>
                        Withdraw
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </DataTable>
          ) : sent.data ? (
            <p className="muted">No invitations sent.</p>
          ) : null}
        </section>
      ) : null}
    </section>
  );
}
