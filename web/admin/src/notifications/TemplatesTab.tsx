// Email templates of the organization: the list, and the editor for a new or existing one.
import { useState } from 'react';
import { all, call, client, PAGE_ALL } from '../api';
import { formatDateTime, localeOf } from '../format';
import { useCan, useSession } from '../session';
import { ErrorNote, Flash, LoadStatus, useAction, useFlash, useLoad } from '../components/ui';
import { FormError } from '../components/forms';
import { ConfirmDelete, confirmedDelete } from '../components/ConfirmButton';
import { TemplateForm } from './TemplateForm';
import type { EmailTemplate } from './types';
import { DataTable } from '../components/DataTable';

export function useTemplates() {
  return useLoad(() => all((cursor) => client.GET('/api/v1/email-templates', { params: { query: { limit: PAGE_ALL, cursor } } })), []);
}

export function TemplatesTab() {
  const { me } = useSession();
  const locale = localeOf(me.org.country);
  const canEdit = useCan('admin');
  const templates = useTemplates();
  const variables = useLoad(() => all((cursor) => client.GET('/api/v1/email-templates/variables', { params: { query: { limit: PAGE_ALL, cursor } } })), []);
  const [editing, setEditing] = useState<EmailTemplate | 'new' | null>(null);
  const [flash, setFlash] = useFlash();
  const remove = useAction();
  const [confirm, setConfirm] = useState<string | null>(null);

  if (editing && variables.data) {
    return (
      <TemplateForm
        template={editing === 'new' ? null : editing}
        variables={variables.data}
        canEdit={canEdit}
        onCancel={() => setEditing(null)}
        onSaved={(t) => {
          setEditing(null);
          setFlash(`Template “${t.name}” saved`);
          templates.reload();
        }}
      />
    );
  }
  const del = confirmedDelete({
    action: remove,
    close: () => setConfirm(null),
    request: (t: EmailTemplate) => call(client.DELETE('/api/v1/email-templates/{id}', { params: { path: { id: t.id } } })),
    deleted: (t) => {
      setFlash(`Template “${t.name}” deleted`);
      templates.reload();
    },
  });

  return (
    <div className="stack">
      <Flash message={flash} />
      <div className="page-head">
        <p className="hint">Templates are the emails contact tasks send. Each recipient gets their own tracking link in {'{{shipment.tracking_link}}'}.</p>
        {canEdit ? (
          <button type="button" className="btn primary" onClick={() => setEditing('new')} disabled={!variables.data}>
            New template
          </button>
        ) : null}
      </div>
      {variables.error ? <ErrorNote error={variables.error} onRetry={variables.reload} /> : null}
      <FormError error={remove.error} />
      <LoadStatus loaded={templates} />
      {templates.data && !templates.data.length ? <p className="empty">No email templates yet.</p> : null}
      {templates.data?.length ? (
        <DataTable caption="Email templates" columns={['Name', 'Subject', 'Updated']} actions>
          {templates.data.map((t) => (
            <tr key={t.id}>
              <th scope="row" data-label="Name">{t.name}</th>
              <td data-label="Subject">{t.subject}</td>
              <td data-label="Updated">{formatDateTime(t.updated_at, locale)}</td>
              <td data-label="Actions" className="cell-actions">
                <button type="button" className="btn tiny" onClick={() => setEditing(t)} disabled={!variables.data} aria-label={`${canEdit ? 'Edit' : 'View'} template ${t.name}`}>
                  {canEdit ? 'Edit' : 'View'}
                </button>
                {canEdit ? (
                  <ConfirmDelete id={t.id} asking={[confirm, setConfirm]} onDelete={() => void del(t)} label={`Delete template ${t.name}`} groupLabel={`Confirm deleting ${t.name}`} />
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </div>
  );
}
