import { decode } from 'blurhash';
import { useEffect, useRef, useState } from 'react';
import { useSignedSrc } from '../lib/fileUrls';
import { fitBox } from '../lib/media';
import { sizeLabel } from '../lib/upload';
import type { Message } from '../store/merge';
import { Icon } from './Icons';

type Attachment = Message['attachments'][number];

/** The types shown as pictures; the server serves everything else as a download. */
const INLINE_IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** Whether an attachment is shown as an image (a type the server serves inline, measured by it). */
export function isInlineImage(attachment: Pick<Attachment, 'contentType' | 'width'>): boolean {
  return INLINE_IMAGES.includes(attachment.contentType) && attachment.width != null;
}

/** A BlurHash painted in a small canvas, stretched over the box while the image loads. */
function BlurhashPlaceholder({ hash }: { hash: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    try {
      const pixels = decode(hash, 32, 32);
      const image = context.createImageData(32, 32);
      image.data.set(pixels);
      context.putImageData(image, 0, 0);
    } catch {
      // A malformed hash only loses the placeholder.
    }
  }, [hash]);
  return <canvas ref={canvas} className="attachment-image__placeholder" width={32} height={32} aria-hidden="true" />;
}

/**
 * An attached image in a box of its final size (from the stored dimensions, before it loads), showing the
 * server's thumbnail over its blurhash, whose signed URL is refreshed once when it fails. Clicking opens the
 * original in the lightbox.
 */
export function AttachmentImage({ attachment, onOpen }: { attachment: Attachment; onOpen(): void }) {
  const box = fitBox(attachment.width, attachment.height);
  const image = useSignedSrc(attachment.thumbnailUrl ?? attachment.url);
  const [loaded, setLoaded] = useState(false);
  return (
    <button
      type="button"
      className="attachment-image"
      style={{ width: box.width, height: box.height }}
      aria-label={attachment.fileName ? `Open image ${attachment.fileName}` : 'Open image'}
      onClick={onOpen}
    >
      {attachment.blurhash && !loaded ? <BlurhashPlaceholder hash={attachment.blurhash} /> : null}
      {image.src ? (
        <img
          src={image.src}
          alt="Attached image"
          width={box.width}
          height={box.height}
          loading="lazy"
          onError={image.onError}
          onLoad={() => {
            setLoaded(true);
            image.onLoad();
          }}
        />
      ) : (
        <span className="attachment-image__missing">Image unavailable</span>
      )}
    </button>
  );
}

/** Any other file: a chip with its kind, name and size, downloading it (the server sends it as a download). */
export function AttachmentFile({ attachment }: { attachment: Attachment }) {
  const { src, onError } = useSignedSrc(attachment.url);
  const name = attachment.fileName ?? 'Attachment';
  const kind = fileKind(attachment.contentType);
  return (
    <a
      href={src ?? undefined}
      download={name}
      className="attachment-file"
      onError={onError}
      aria-label={`Download ${name} (${kind}, ${sizeLabel(attachment.size)})`}
    >
      <span className="attachment-file__icon" aria-hidden="true">
        <Icon name="attach" />
      </span>
      <span className="attachment-file__name">{name}</span>
      <span className="attachment-file__meta">
        {kind} · {sizeLabel(attachment.size)}
      </span>
    </a>
  );
}

/** A short label of a MIME type ("PDF", "Audio", "ZIP"). */
export function fileKind(contentType: string): string {
  if (contentType === 'application/pdf') return 'PDF';
  if (contentType.startsWith('audio/')) return 'Audio';
  if (contentType.startsWith('video/')) return 'Video';
  if (contentType.startsWith('image/')) return 'Image';
  if (contentType.startsWith('text/')) return 'Text';
  if (/zip|tar|rar|7z|gzip|bzip|xz/.test(contentType)) return 'Archive';
  if (/word|document|spreadsheet|excel|presentation|powerpoint|opendocument/.test(contentType)) return 'Document';
  return 'File';
}
