// The server's preview of a message's first link: site, title (the link), description and a thumbnail in a box
// of fixed size (so the list does not jump when it loads). Every text is rendered as text, never as HTML, and
// only http(s) URLs are used, whatever the server sent.
import { useState } from 'react';
import type { MessageFieldsFragment } from '../gql/graphql';

/** An http(s) URL as given, or null (javascript:, data:, relative, malformed…). */
export function webUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export interface LinkPreviewCardProps {
  preview: NonNullable<MessageFieldsFragment['linkPreview']>;
  /** Shown to the author only: removes the preview for everyone. */
  onRemove?: () => void;
}

export function LinkPreviewCard({ preview, onRemove }: LinkPreviewCardProps) {
  const [imageFailed, setImageFailed] = useState(false);
  const href = webUrl(preview.url);
  const image = imageFailed ? null : webUrl(preview.imageUrl);
  const title = preview.title || preview.siteName || hostOf(preview.url);
  return (
    <aside className="link-preview" aria-label={`Link preview: ${title}`} data-testid="link-preview">
      {image ? (
        <img
          className="link-preview__image"
          src={image}
          alt=""
          width={72}
          height={72}
          loading="lazy"
          decoding="async"
          referrerPolicy="no-referrer"
          onError={() => setImageFailed(true)}
        />
      ) : null}
      <div className="link-preview__text">
        {preview.siteName ? <span className="link-preview__site">{preview.siteName}</span> : null}
        {href ? (
          <a className="link-preview__title" href={href} target="_blank" rel="noopener noreferrer">
            {title}
          </a>
        ) : (
          <span className="link-preview__title">{title}</span>
        )}
        {preview.description ? <p className="link-preview__description">{preview.description}</p> : null}
      </div>
      {onRemove ? (
        <button
          type="button"
          className="link-preview__remove"
          aria-label="Remove link preview"
          title="Remove preview"
          onClick={onRemove}
        >
          ×
        </button>
      ) : null}
    </aside>
  );
}
