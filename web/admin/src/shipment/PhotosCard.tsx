// The shipment's gallery: upload, choose the hero photo, delete.
import { useRef, useState } from 'react';
import { call, client, multipart } from '../api';
import type { Shipment } from '../types';
import { FormError } from '../components/forms';
import { useAction } from '../components/ui';

export function PhotosCard({ s, canWrite, reload }: { s: Shipment; canWrite: boolean; reload: () => void }) {
  const file = useRef<HTMLInputElement>(null);
  const [caption, setCaption] = useState('');
  const action = useAction();
  const upload = async () => {
    const f = file.current?.files?.[0];
    if (!f) return;
    const form = new FormData();
    if (caption.trim()) form.append('caption', caption.trim());
    form.append('file', f);
    const r = await action.run(() => call(client.POST('/api/v1/shipments/{id}/photos', { params: { path: { id: s.id } }, body: multipart(form) })));
    if (file.current) file.current.value = '';
    if (r) {
      setCaption('');
      reload();
    }
  };
  const hero = async (photo_id: string | null) => {
    const r = await action.run(() => call(client.PUT('/api/v1/shipments/{id}/hero-photo', { params: { path: { id: s.id } }, body: { photo_id } })));
    if (r) reload();
  };
  const remove = async (id: string) => {
    const ok = await action.run(async () => {
      await call(client.DELETE('/api/v1/shipments/{id}/photos/{photoId}', { params: { path: { id: s.id, photoId: id } } }));
      return true;
    });
    if (ok) reload();
  };
  return (
    <section className="card" aria-labelledby="photos-title">
      <h2 id="photos-title">Photos</h2>
      <FormError error={action.error} />
      {s.photos.length ? (
        <ul className="gallery">
          {s.photos.map((p, i) => (
            <li key={p.id}>
              <img src={p.url} alt={p.caption ?? `Photo ${i + 1}`} loading="lazy" />
              {s.hero_photo_id === p.id ? <span className="badge">Hero</span> : null}
              {canWrite ? (
                <div className="actions">
                  {s.hero_photo_id === p.id ? (
                    <button type="button" className="btn tiny" onClick={() => void hero(null)}>
                      Unset hero
                    </button>
                  ) : (
                    <button type="button" className="btn tiny" onClick={() => void hero(p.id)} aria-label={`Make photo ${i + 1} the hero photo`}>
                      Make hero
                    </button>
                  )}
                  <button type="button" className="btn tiny ghost" onClick={() => void remove(p.id)} aria-label={`Delete photo ${i + 1}`}>
                    Delete
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No photos.</p>
      )}
      {canWrite ? (
        <div className="inline-form">
          <div className="field">
            <label htmlFor="photo-caption">Caption (optional)</label>
            <input id="photo-caption" value={caption} onChange={(e) => setCaption(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="photo-file">Add a photo</label>
            <input id="photo-file" ref={file} type="file" accept="image/jpeg,image/png,image/webp,image/gif" onChange={() => void upload()} disabled={action.busy} />
          </div>
        </div>
      ) : null}
    </section>
  );
}
