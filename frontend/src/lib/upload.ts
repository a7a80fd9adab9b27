// File upload through `POST /api/upload` (multipart, field `file`; the same service as `uploadImage`), with
// progress. Offered as the server's `serverInfo.uploads` says (see useServerInfo): whether it takes files and how
// large (images, the types it shows inline, have a limit of their own). Any type may be sent: the server types
// files by their content and serves what is not an image as a download.
import type { ServerInfoQuery } from '../gql/graphql';
import { getAccessToken } from './execute';

export type UploadInfo = ServerInfoQuery['serverInfo']['uploads'];

export interface UploadedAttachment {
  id: string;
  url: string;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  fileName?: string | null;
  thumbnailUrl?: string | null;
  blurhash?: string | null;
}

/** "PNG, JPEG, GIF or WebP" from the MIME types the server accepts. */
export function typeNames(types: readonly string[]): string {
  const names = types.map((t) => {
    const sub = t.replace(/^image\//, '');
    return sub === 'webp' ? 'WebP' : sub.toUpperCase();
  });
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : (names[0] ?? '');
}

/** A size in bytes the way people read it ("10 MB", "500 KB"). */
export function sizeLabel(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Why a file cannot be attached, or null when it can be sent (by the server's own rules, `uploads`). */
export function refusal(file: Pick<File, 'name' | 'type' | 'size'>, uploads: UploadInfo | null): string | null {
  if (!uploads?.enabled) return `${file.name}: this server does not accept files`;
  if (file.size === 0) return `${file.name} was not attached: it is empty`;
  // The browser's type comes from the name; the server decides from the content, so this is only a first guess.
  if (uploads.types.includes(file.type) && file.size > uploads.maxImageBytes) {
    return `${file.name} is too large (images: ${sizeLabel(uploads.maxImageBytes)} at most)`;
  }
  if (file.size > uploads.maxBytes) return `${file.name} is too large (${sizeLabel(uploads.maxBytes)} at most)`;
  return null;
}

export async function uploadImage(file: File, onProgress: (fraction: number) => void): Promise<UploadedAttachment> {
  const token = await getAccessToken();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/upload');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as UploadedAttachment);
        } catch {
          reject(new Error('The server sent an unreadable answer'));
        }
      } else {
        let message = `Upload failed (${xhr.status})`;
        try {
          const body = JSON.parse(xhr.responseText) as { error?: { message?: string } };
          message = body.error?.message ?? message;
        } catch {
          // keep the status line
        }
        reject(new Error(message));
      }
    };
    xhr.onerror = () => reject(new Error('Network error while uploading'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}
