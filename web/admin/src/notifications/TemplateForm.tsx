// Create or edit an email template: subject, HTML and text bodies with the variable picker, and
// a preview of the unsaved draft against a real shipment. Unknown variables are shown at their field.
import { useState, type FormEvent } from 'react';
import { call, client, ApiError } from '../api';
import { FormError, TextField, fieldError } from '../components/forms';
import { useAction } from '../components/ui';
import { useCan } from '../session';
import { EmailPreview, type PreviewTarget } from './EmailPreview';
import type { EmailTemplate, RenderedEmail, TemplateVariable } from './types';
import { VariableField } from './VariableField';

const STARTER = {
  name: '',
  subject: 'Your shipment {{shipment.reference}} from {{org.name}}',
  html: '<p>Hello {{recipient.name}},</p>\n<p>Follow shipment {{shipment.reference}} here: <a href="{{shipment.tracking_link}}">{{shipment.tracking_link}}</a></p>\n<p>Expected arrival: {{stop.eta}}</p>',
  text: 'Hello {{recipient.name}},\n\nFollow shipment {{shipment.reference}} here: {{shipment.tracking_link}}\n\nExpected arrival: {{stop.eta}}',
};
// The starter for an org that cannot send tracking links right now (sharing is off).
const STARTER_NO_LINK = {
  name: '',
  subject: 'Your shipment {{shipment.reference}} from {{org.name}}',
  html: '<p>Hello {{recipient.name}},</p>\n<p>Shipment {{shipment.reference}} is {{shipment.status}}.</p>\n<p>Expected arrival: {{stop.eta}}</p>',
  text: 'Hello {{recipient.name}},\n\nShipment {{shipment.reference}} is {{shipment.status}}.\n\nExpected arrival: {{stop.eta}}',
};

/** Every message the API gave for one field (a template may have several unknown variables). */
function fieldErrors(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const all = error.details.filter((d) => d.path === path || d.path.startsWith(path + '/')).map((d) => d.message);
  return all.length ? all.join('; ') : undefined;
}

export function TemplateForm({
  template,
  variables,
  canEdit,
  onSaved,
  onCancel,
}: {
  template: EmailTemplate | null;
  variables: TemplateVariable[];
  canEdit: boolean;
  onSaved: (t: EmailTemplate) => void;
  onCancel: () => void;
}) {
  const unavailable = variables.filter((v) => v.available === false);
  const [draft, setDraft] = useState(() =>
    template ? { name: template.name, subject: template.subject, html: template.html, text: template.text } : unavailable.some((v) => v.name === 'shipment.tracking_link') ? STARTER_NO_LINK : STARTER,
  );
  const canPreview = useCan('dispatcher');
  const save = useAction();
  const preview = useAction();
  const [rendered, setRendered] = useState<RenderedEmail | null>(null);
  const set = (k: keyof typeof draft) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { ...draft, name: draft.name.trim() };
    const r = await save.run(() => (template ? call(client.PUT('/api/v1/email-templates/{id}', { params: { path: { id: template.id } }, body })) : call(client.POST('/api/v1/email-templates', { body }))));
    if (r) onSaved(r);
  };
  const runPreview = async (target: PreviewTarget) => {
    const r = await preview.run(() => call(client.POST('/api/v1/email-templates/preview', { body: { subject: draft.subject, html: draft.html, text: draft.text, ...target } })));
    setRendered(r ?? null);
    // A draft that renders has only known variables: the save's variable messages are outdated.
    if (r) save.setError(null);
  };
  // A field shows the save's message, or else the preview's (both check the same variables).
  const err = (k: 'subject' | 'html' | 'text') => fieldErrors(save.error, `body/${k}`) ?? fieldErrors(preview.error, `body/${k}`);
  const shown = ['body/name', 'body/subject', 'body/html', 'body/text'];

  return (
    <div className="template-editor">
      <form className="card stack" onSubmit={(e) => void submit(e)} noValidate aria-label={template ? `Edit template ${template.name}` : 'New email template'}>
        <h2>{template ? `Edit “${template.name}”` : 'New email template'}</h2>
        <FormError error={save.error} shown={shown} />
        {preview.error && !(preview.error instanceof ApiError && preview.error.details.some((d) => shown.includes(d.path))) ? <FormError error={preview.error} shown={shown} /> : null}
        {unavailable.length ? (
          <div className="banner warn" role="note" aria-label="Variables not available">
            {unavailable.map((v) => (
              <p key={v.name}>
                <code>{v.token}</code> is not available: {v.unavailable_reason}
              </p>
            ))}
          </div>
        ) : null}
        <TextField label="Template name" value={draft.name} onChange={(e) => set('name')(e.target.value)} error={fieldError(save.error, 'body/name')} disabled={!canEdit} hint="Only you see this, e.g. “Delivery is on its way”" />
        <VariableField label="Subject" name="subject" value={draft.subject} onChange={set('subject')} variables={variables} error={err('subject')} disabled={!canEdit} />
        <VariableField
          label="HTML body"
          name="html"
          value={draft.html}
          onChange={set('html')}
          variables={variables}
          error={err('html')}
          multiline
          rows={10}
          disabled={!canEdit}
          hint="Values are HTML-escaped when the email is rendered. Type {{ to pick a variable."
        />
        <VariableField label="Text body" name="text" value={draft.text} onChange={set('text')} variables={variables} error={err('text')} multiline rows={7} disabled={!canEdit} hint="For mail programs that do not show HTML." />
        <div className="actions">
          {canEdit ? (
            <button type="submit" className="btn primary" disabled={save.busy}>
              {template ? 'Save template' : 'Create template'}
            </button>
          ) : null}
          <button type="button" className="btn ghost" onClick={onCancel}>
            {canEdit ? 'Cancel' : 'Back to templates'}
          </button>
        </div>
      </form>
      {canPreview ? (
        <div className="preview-col">
          <EmailPreview onPreview={(t) => void runPreview(t)} busy={preview.busy} rendered={rendered} error={preview.error} />
        </div>
      ) : null}
    </div>
  );
}
