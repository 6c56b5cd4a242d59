// Picks gallery photos for the tracking page: click one in the gallery to add it, click one in
// "On the tracking page" to remove it; hovering or focusing a photo shows a larger preview.
import { useState } from 'react';
import type { Photo } from '../types';

export function PhotoPicker({ photos, picked, onChange }: { photos: Photo[]; picked: string[]; onChange: (ids: string[]) => void }) {
  const [preview, setPreview] = useState<Photo | null>(null);
  const available = photos.filter((p) => !picked.includes(p.id));
  const chosen = picked.map((id) => photos.find((p) => p.id === id)).filter((p): p is Photo => Boolean(p));
  const name = (p: Photo, i: number) => p.caption || `Photo ${photos.indexOf(p) + 1 || i + 1}`;

  const thumb = (p: Photo, i: number, action: 'add' | 'remove') => (
    <li key={p.id}>
      <button
        type="button"
        className={`thumb ${action}`}
        aria-label={`${action === 'add' ? 'Add' : 'Remove'} ${name(p, i)} ${action === 'add' ? 'to' : 'from'} the tracking page`}
        onClick={() => {
          onChange(action === 'add' ? [...picked, p.id] : picked.filter((x) => x !== p.id));
          setPreview(null);
        }}
        onMouseEnter={() => setPreview(p)}
        onMouseLeave={() => setPreview(null)}
        onFocus={() => setPreview(p)}
        onBlur={() => setPreview(null)}
      >
        <img src={p.url} alt="" loading="lazy" />
        <span className="thumb-action" aria-hidden="true">
          {action === 'add' ? '+' : '−'}
        </span>
      </button>
    </li>
  );

  if (!photos.length) return <p className="muted">This shipment has no gallery photos yet. Upload some on the shipment page to pick them here.</p>;
  return (
    <div className="picker" data-testid="photo-picker">
      <div className="picker-panel">
        <h4 id="pp-gallery">Gallery ({available.length})</h4>
        {available.length ? (
          <ul className="thumbs" aria-labelledby="pp-gallery">
            {available.map((p, i) => thumb(p, i, 'add'))}
          </ul>
        ) : (
          <p className="muted small">Every photo is on the tracking page.</p>
        )}
      </div>
      <div className="picker-panel">
        <h4 id="pp-picked">On the tracking page ({chosen.length})</h4>
        {chosen.length ? (
          <ul className="thumbs" aria-labelledby="pp-picked">
            {chosen.map((p, i) => thumb(p, i, 'remove'))}
          </ul>
        ) : (
          <p className="muted small">None picked. Click a gallery photo to add it.</p>
        )}
      </div>
      <div className="picker-preview" aria-hidden="true">
        {preview ? <img src={preview.url} alt="" /> : <span className="muted small">Hover or focus a photo for a larger preview</span>}
      </div>
    </div>
  );
}
