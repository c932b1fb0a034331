import QRCode from 'qrcode'

/**
 * A QR code of one of our own link URLs as SVG text (rendered with v-html: it is made here from a
 * server URL, never from user input). Error correction M still scans from a slightly worn poster.
 */
export function qrSvg(url: string, margin = 1): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin })
}
