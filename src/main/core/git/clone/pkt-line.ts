import { AppError } from '../../../../shared/errors'

/** Encodes one pkt-line: four hex digits of length (themselves included), then the payload. */
export function pktLine(payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
  if (body.length > 65516) throw new RangeError('pkt-line payload too long')
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0'), 'ascii'), body])
}

/** The flush packet, which ends a section. */
export const FLUSH = Buffer.from('0000', 'ascii')

/** One packet of a complete pkt-line message: a payload, or `undefined` for a flush. */
export type Packet = Buffer | undefined

/** Splits a complete pkt-line message (an advertisement, a small response) into packets. */
export function splitPackets(data: Buffer): Packet[] {
  const packets: Packet[] = []
  let at = 0
  while (at < data.length) {
    const length = packetLength(data, at)
    if (length === 0 || length === 1) {
      packets.push(undefined)
      at += 4
      continue
    }
    if (length < 4 || at + length > data.length) throw malformed()
    packets.push(data.subarray(at + 4, at + length))
    at += length
  }
  return packets
}

/** The length field of the packet at `data[at..]` (which must hold 4 bytes), or throws on non-hex digits. */
export function packetLength(data: Buffer, at: number): number {
  let length = 0
  for (let i = 0; i < 4; i++) {
    const c = data[at + i] ?? -1
    const digit =
      c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1
    if (digit < 0) throw malformed()
    length = length * 16 + digit
  }
  return length
}

/** A payload as text without its trailing newline. */
export function packetText(payload: Buffer): string {
  const end = payload[payload.length - 1] === 0x0a ? payload.length - 1 : payload.length
  return payload.toString('utf8', 0, end)
}

function malformed(): AppError {
  return new AppError('bad-response', "The server's answer is not in git's pkt-line format; check the repo URL.")
}
