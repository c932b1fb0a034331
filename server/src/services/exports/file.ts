import { PassThrough, Readable } from 'node:stream'
import { shanghaiDay } from '@minyi/shared/time'

export interface ExportFile {
  filename: string
  contentType: string
  body: ReadableStream<Uint8Array>
}

/** `<campaign title>-<today in Asia/Shanghai>.<ext>`, without the characters file systems refuse. */
export function fileName(title: string, ext: string): string {
  const day = shanghaiDay()
  return `${title
    .replace(/[\\/:*?"<>|\r\n]+/g, ' ')
    .trim()
    .slice(0, 80)}-${day}.${ext}`
}

/** Writes `produce`'s output into a web stream; an error midway ends the download with an error, never a partial "success". */
export function streamed(produce: (out: PassThrough) => Promise<void>): ReadableStream<Uint8Array> {
  const out = new PassThrough()
  produce(out).catch((err) => out.destroy(err instanceof Error ? err : new Error(String(err))))
  return Readable.toWeb(out) as ReadableStream<Uint8Array>
}
