import { useSignedSrc } from '../lib/fileUrls';
import { fitBox } from '../lib/media';
import type { Message } from '../store/merge';

type Attachment = Message['attachments'][number];

/**
 * An attached image in a box of its final size (from the stored dimensions, before it loads), whose signed URL
 * is refreshed once when it fails. Clicking opens it in the lightbox.
 */
export function AttachmentImage({ attachment, onOpen }: { attachment: Attachment; onOpen(): void }) {
  const box = fitBox(attachment.width, attachment.height);
  const image = useSignedSrc(attachment.url);
  return (
    <button
      type="button"
      className="attachment-image"
      style={{ width: box.width, height: box.height }}
      aria-label="Open image"
      onClick={onOpen}
    >
      {image.src ? (
        <img
          src={image.src}
          alt="Attached image"
          width={box.width}
          height={box.height}
          loading="lazy"
          onError={image.onError}
          onLoad={image.onLoad}
        />
      ) : (
        <span className="attachment-image__missing">Image unavailable</span>
      )}
    </button>
  );
}

export function AttachmentFile({ attachment }: { attachment: Attachment }) {
  const { src, onError } = useSignedSrc(attachment.url);
  return src ? (
    <a href={src} target="_blank" rel="noopener noreferrer" className="attachment-link" onError={onError}>
      Attachment ({Math.round(attachment.size / 1024)} KB)
    </a>
  ) : null;
}
