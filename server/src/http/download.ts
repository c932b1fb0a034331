import type { ExportFile } from '../services/exports/index.ts'

/** A streamed download; the file name is ASCII-safe in `filename` and exact (UTF-8) in `filename*`. */
export function download(file: ExportFile): Response {
  const ascii = file.filename.replace(/[^\x20-\x7e]+/g, '_').replaceAll('"', '')
  return new Response(file.body, {
    headers: {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'cache-control': 'no-store',
    },
  })
}
