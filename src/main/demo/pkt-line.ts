/** Encodes one pkt-line (4 hex digits of length, then the payload). */
export function pktLine(payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0'), 'ascii'), body])
}

/** The flush packet. */
export const FLUSH = Buffer.from('0000', 'ascii')

/** Splits a pkt-line stream into payload strings (flushes dropped). */
export function readPktLines(data: Buffer): string[] {
  const lines: string[] = []
  let at = 0
  while (at + 4 <= data.length) {
    const length = parseInt(data.subarray(at, at + 4).toString('ascii'), 16)
    if (Number.isNaN(length)) break
    if (length === 0) {
      at += 4
      continue
    }
    lines.push(data.subarray(at + 4, at + length).toString('utf8'))
    at += length
  }
  return lines
}

/** Wraps pack data in side-band-64k pkt-lines on band 1. */
export function sideBand(data: Uint8Array): Buffer[] {
  const MAX = 65515
  const out: Buffer[] = []
  for (let at = 0; at < data.length; at += MAX) {
    out.push(
      pktLine(Buffer.concat([Buffer.from([1]), Buffer.from(data.subarray(at, Math.min(at + MAX, data.length)))])),
    )
  }
  return out
}
