// Image upload through `POST /api/upload` (multipart, field `file`; the same service as `uploadImage`), with
// progress. Only offered when the server's schema has `uploadImage` (see useCapabilities).
import { getAccessToken } from './execute';

export interface UploadedAttachment {
  id: string;
  url: string;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
}

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** What the server keeps (it re-encodes images and refuses every other type with 415). */
export const ACCEPTED_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** Why a file cannot be attached, or null when it can be sent. */
export function refusal(file: Pick<File, 'name' | 'type' | 'size'>, uploadsOffered: boolean): string | null {
  if (!uploadsOffered) return `${file.name}: this server does not accept files`;
  if (!ACCEPTED_TYPES.includes(file.type)) {
    return `${file.name} was not attached: only images (PNG, JPEG, GIF or WebP) can be sent here`;
  }
  if (file.size > MAX_IMAGE_BYTES) return `${file.name} is too large (10 MB at most)`;
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
