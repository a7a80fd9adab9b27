import { useEffect, useRef } from 'react';
import { useSignedSrc } from '../lib/fileUrls';
import type { Message } from '../store/merge';
import { Icon } from './Icons';

type Attachment = Message['attachments'][number];

/** An image over the whole window: Escape, a click outside the image or a swipe down closes it. */
export function Lightbox({ attachment, onClose }: { attachment: Attachment; onClose(): void }) {
  const image = useSignedSrc(attachment.url);
  const closeButton = useRef<HTMLButtonElement>(null);
  const touchStart = useRef<{ x: number; y: number } | null>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    closeButton.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      previous?.focus?.();
    };
  }, [onClose]);
  const size = attachment.width && attachment.height ? `${attachment.width} × ${attachment.height}` : null;
  return (
    <div
      className="lightbox"
      role="dialog"
      aria-modal="true"
      aria-label="Image"
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
      onTouchStart={(e) => {
        const t = e.touches[0];
        touchStart.current = { x: t.clientX, y: t.clientY };
      }}
      onTouchEnd={(e) => {
        const start = touchStart.current;
        const t = e.changedTouches[0];
        touchStart.current = null;
        if (start && Math.abs(t.clientY - start.y) > 80 && Math.abs(t.clientY - start.y) > Math.abs(t.clientX - start.x)) onClose();
      }}
    >
      <div className="lightbox__bar">
        <span className="lightbox__meta">
          {size ? `${size} · ` : ''}
          {Math.max(1, Math.round(attachment.size / 1024))} KB
        </span>
        {image.src ? (
          <a className="icon-button lightbox__button" href={image.src} target="_blank" rel="noopener noreferrer" aria-label="Open original" title="Open original">
            <Icon name="external" />
          </a>
        ) : null}
        <button ref={closeButton} type="button" className="icon-button lightbox__button" aria-label="Close image" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      {image.src ? (
        <img className="lightbox__image" src={image.src} alt="Attached image, full size" onError={image.onError} onLoad={image.onLoad} />
      ) : (
        <p className="lightbox__missing">Image unavailable</p>
      )}
    </div>
  );
}
