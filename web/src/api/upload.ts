/**
 * The file's own trip: straight to S3 through the presigned PUT that POST /imports hands out.
 * XMLHttpRequest, because fetch reports no upload progress.
 */
import type { ImportUpload } from './types.ts';

export function putFile(upload: ImportUpload['upload'], file: Blob, onProgress: (sent: number, total: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(upload.method, upload.url);
    // The URL signs the length only (the browser sends Content-Length itself); a typeless Blob adds no Content-Type.
    request.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    request.onload = () =>
      request.status >= 200 && request.status < 300
        ? resolve()
        : reject(
            new Error(
              `The storage refused the file (HTTP ${request.status}). ${request.status === 403 ? 'The upload link may have expired: start again.' : ''}`.trim(),
            ),
          );
    request.onerror = () => reject(new Error('The file could not be sent to the storage (network error).'));
    request.send(new Blob([file]));
  });
}
