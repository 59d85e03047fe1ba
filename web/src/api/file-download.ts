import { apiFetch } from './http.ts';

/**
 * Files from the API and to the user: fetching a file with the bearer token (an `<a href>` or
 * `<audio src>` cannot send it) together with the name the server gave it, and handing bytes to
 * the browser as a download (recordings, the journal's CSV export, report CSVs).
 */

/** A fetched file: its bytes and the name the server gave it (Content-Disposition). */
export interface FetchedFile {
  blob: Blob;
  fileName: string | null;
}

/** The file name of a Content-Disposition header (RFC 5987 `filename*` preferred). */
export function dispositionFileName(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(header)?.[1] ?? null;
}

/** `GET path` as a file; throws `ApiRequestError` on a non-2xx answer (see http.ts). */
export async function fetchFile(path: string, signal?: AbortSignal): Promise<FetchedFile> {
  const response = await apiFetch(path, { signal });
  return {
    blob: await response.blob(),
    fileName: dispositionFileName(response.headers.get('content-disposition')),
  };
}

/** Hands a blob to the browser as a download named `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
