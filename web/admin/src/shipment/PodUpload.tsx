// Capturing proof of delivery: a PDF or photo, and who signed for it.
import { useRef, useState } from 'react';
import { call, client, multipart } from '../api';
import { FormError } from '../components/forms';
import { useAction } from '../components/ui';

export function PodUpload({ shipmentId, reload }: { shipmentId: string; reload: () => void }) {
  const file = useRef<HTMLInputElement>(null);
  const [signedBy, setSignedBy] = useState('');
  const action = useAction();
  const upload = async () => {
    const f = file.current?.files?.[0];
    if (!f) return;
    const form = new FormData();
    if (signedBy.trim()) form.append('signed_by', signedBy.trim());
    form.append('file', f);
    const r = await action.run(() => call(client.PUT('/api/v1/shipments/{id}/proof-of-delivery', { params: { path: { id: shipmentId } }, body: multipart(form) })));
    if (file.current) file.current.value = '';
    if (r) reload();
  };
  return (
    <div className="inline-form">
      <FormError error={action.error} />
      <div className="field">
        <label htmlFor="pod-signed">Signed by (optional)</label>
        <input id="pod-signed" value={signedBy} onChange={(e) => setSignedBy(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="pod-file">Upload proof of delivery (PDF or photo)</label>
        <input id="pod-file" ref={file} type="file" accept="application/pdf,image/jpeg,image/png" onChange={() => void upload()} disabled={action.busy} />
      </div>
    </div>
  );
}
