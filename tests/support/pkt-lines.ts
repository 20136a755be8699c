/*
 * git's pkt-line framing, for tests that rewrite what a real `git http-backend` says or hears: drop a
 * capability from a request, advertise one more ref, flip a byte of a pack inside its side-band stream.
 * Written independently of the client under test so a shared mistake cannot hide.
 */

/** One packet: its payload, or null for a flush (`0000`) or a protocol v2 delimiter (`0001`, `0002`). */
export type Pkt = Buffer | null

/** Splits a whole pkt-line stream into packets. */
export function splitPkts(data: Buffer): Pkt[] {
  const out: Pkt[] = []
  let at = 0
  while (at + 4 <= data.length) {
    const length = Number.parseInt(data.toString('latin1', at, at + 4), 16)
    if (Number.isNaN(length)) throw new Error(`not a pkt-line stream at ${at}`)
    // 0000 flush; 0001 delim and 0002 response-end (protocol v2) carry nothing either.
    if (length < 4) {
      out.push(null)
      at += 4
      continue
    }
    out.push(data.subarray(at + 4, at + length))
    at += length
  }
  if (at !== data.length) throw new Error('trailing bytes after the last packet')
  return out
}

/** Joins packets back into a stream. */
export function joinPkts(pkts: Pkt[]): Buffer {
  return Buffer.concat(
    pkts.map((p) =>
      p === null ? Buffer.from('0000') : Buffer.concat([Buffer.from((p.length + 4).toString(16).padStart(4, '0')), p]),
    ),
  )
}

/** An upload-pack request with `capability` removed from its first want line. */
export function withoutCapability(request: Buffer, capability: string): Buffer {
  const pkts = splitPkts(request)
  const first = pkts.findIndex((p) => p !== null && p.toString('latin1').startsWith('want '))
  const line = pkts[first]
  if (first < 0 || !line) return request
  const words = line.toString('utf8').replace(/\n$/, '').split(' ')
  pkts[first] = Buffer.from(`${words.filter((w) => w !== capability).join(' ')}\n`)
  return joinPkts(pkts)
}

/** What the first want line of an upload-pack request asks, and how many wants and haves it sends. */
export function describeRequest(request: Buffer): { capabilities: string[]; wants: number; haves: number } {
  const lines = splitPkts(request).flatMap((p) => (p === null ? [] : [p.toString('utf8').replace(/\n$/, '')]))
  const wants = lines.filter((l) => l.startsWith('want '))
  return {
    capabilities: (wants[0] ?? '').split(' ').slice(2),
    wants: wants.length,
    haves: lines.filter((l) => l.startsWith('have ')).length,
  }
}

/** A ref advertisement with one more ref line (any name, valid or not) before its final flush. */
export function withExtraRef(advertisement: Buffer, sha: string, name: string): Buffer {
  const pkts = splitPkts(advertisement)
  const last = pkts.lastIndexOf(null)
  pkts.splice(last, 0, Buffer.from(`${sha} ${name}\n`, 'utf8'))
  return joinPkts(pkts)
}

/**
 * An upload-pack response with one byte of the pack inverted: at a pack offset, or the pack's very last
 * byte (part of its SHA-1 checksum). The side-band framing stays intact, so only the pack is wrong.
 */
export function withPackByteFlipped(response: Buffer, at: number | 'checksum'): Buffer {
  const pkts = splitPkts(response)
  const data: { pkt: number; start: number }[] = []
  let packBytes = 0
  let inPack = false
  pkts.forEach((p, i) => {
    if (p === null) return
    const text = p.toString('latin1', 0, 4)
    if (!inPack && (text === 'NAK\n' || text.startsWith('ACK'))) {
      inPack = true
      return
    }
    if (inPack && p[0] === 1) {
      data.push({ pkt: i, start: packBytes })
      packBytes += p.length - 1
    }
  })
  const target = at === 'checksum' ? packBytes - 1 : at
  const hit = [...data].reverse().find((d) => d.start <= target)
  const pkt = hit && pkts[hit.pkt]
  if (!hit || !pkt || target >= packBytes) throw new Error(`the pack has no byte ${target}`)
  const copy = Buffer.from(pkt)
  const index = 1 + target - hit.start
  copy[index] = (copy[index] as number) ^ 0xff
  pkts[hit.pkt] = copy
  return joinPkts(pkts)
}
