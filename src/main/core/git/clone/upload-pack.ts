import { AppError } from '../../../../shared/errors'
import type { Sha } from '../../../../shared/models/workspace'
import { FLUSH, packetLength, pktLine } from './pkt-line'

/** What one upload-pack request asks for. */
export interface UploadRequest {
  /** Objects wanted: the tips the server advertised that the clone lacks. */
  wants: Sha[]
  /** Objects the clone has (its ref tips), so the server sends only what is missing. */
  haves: Sha[]
  /** The server's capabilities, from its advertisement. */
  capabilities: ReadonlyMap<string, string>
  /** Ask for a thin pack (deltas against `haves`); the receiver completes it from the clone. */
  thin: boolean
  /** History depth from the wants (`deepen N`). */
  deepen?: number
  /** The clone's shallow boundary (its `shallow` file): commits it has without their parents. */
  shallows?: Sha[]
}

/**
 * The body of a protocol v1 upload-pack request over stateless HTTP: the wants (the first carrying the
 * capabilities), a flush, every have, then `done`, so the server answers with one ACK/NAK and the pack
 * at once. A shallow or deepening fetch adds the clone's `shallow` lines and a `deepen` after the wants.
 */
export function uploadRequest(request: UploadRequest): Buffer {
  const server = request.capabilities
  const band = server.has('side-band-64k') ? 'side-band-64k' : server.has('side-band') ? 'side-band' : undefined
  if (band === undefined)
    throw new AppError('unsupported', 'The git server cannot multiplex its answer (no side-band); Trainyard needs it.')
  const asked = [band]
  for (const capability of ['ofs-delta', 'include-tag', ...(request.thin ? ['thin-pack'] : [])])
    if (server.has(capability)) asked.push(capability)
  asked.push('agent=trainyard')
  const parts: Buffer[] = request.wants.map((sha, i) =>
    pktLine(i === 0 ? `want ${sha} ${asked.join(' ')}\n` : `want ${sha}\n`),
  )
  if (request.deepen !== undefined) {
    if (!server.has('shallow'))
      throw new AppError('unsupported', 'The git server cannot send part of a history (no shallow capability).')
    for (const sha of request.shallows ?? []) parts.push(pktLine(`shallow ${sha}\n`))
    parts.push(pktLine(`deepen ${request.deepen}\n`))
  }
  parts.push(FLUSH)
  for (const sha of request.haves) parts.push(pktLine(`have ${sha}\n`))
  parts.push(pktLine('done\n'))
  return Buffer.concat(parts)
}

/** Where the parts of an upload-pack response go. */
export interface UploadResponseHandlers {
  /** The next bytes of the pack (side-band 1), as they arrive. */
  onPack(chunk: Buffer): void
  /** A line of the server's progress (side-band 2), e.g. `Counting objects:  45% (123/270)`. */
  onProgress?(line: string): void
  /** A commit the server made a shallow boundary (`shallow`) or no longer one (`unshallow`), before the pack. */
  onShallow?(kind: 'shallow' | 'unshallow', sha: Sha): void
}

type Section = 'acks' | 'pack' | 'end'

/**
 * Reads an upload-pack response as it streams: the ACK/NAK lines, then side-band packets, whose pack data
 * goes on to `onPack` without being gathered (a side-band packet often spans two network chunks).
 */
export class UploadResponse {
  private section: Section = 'acks'
  private readonly length = Buffer.alloc(4)
  private lengthHave = 0
  private remaining = 0
  private band = -1
  private line: Buffer[] = []
  private progress = ''
  private failure = ''

  constructor(private readonly handlers: UploadResponseHandlers) {}

  /** Takes the next network chunk. */
  push(chunk: Buffer): void {
    let p = 0
    while (p < chunk.length) {
      if (this.section === 'end') throw bad('bytes after the end of the response')
      if (this.remaining === 0) {
        const take = Math.min(4 - this.lengthHave, chunk.length - p)
        chunk.copy(this.length, this.lengthHave, p, p + take)
        this.lengthHave += take
        p += take
        if (this.lengthHave < 4) break
        this.lengthHave = 0
        this.startPacket(packetLength(this.length, 0))
        continue
      }
      const take = Math.min(this.remaining, chunk.length - p)
      this.payload(chunk.subarray(p, p + take))
      this.remaining -= take
      p += take
      if (this.remaining === 0) this.endPacket()
    }
  }

  /** Checks that the response ended where it should (after the pack's flush). */
  finish(): void {
    if (this.section !== 'end') throw new AppError('clone-failed', 'The server ended its answer early; fetch again.')
  }

  private startPacket(length: number): void {
    if (length === 0) {
      // A flush: ends the pack's side-band stream; before it (shallow lists) it only separates sections.
      if (this.section === 'pack') this.section = 'end'
      return
    }
    if (length < 5) throw bad(`a packet of length ${length}`)
    this.remaining = length - 4
    this.band = -1
  }

  private payload(bytes: Buffer): void {
    if (this.section === 'acks') {
      this.line.push(Buffer.from(bytes))
      return
    }
    let data = bytes
    if (this.band < 0) {
      this.band = data[0] as number
      data = data.subarray(1)
    }
    if (data.length === 0) return
    switch (this.band) {
      case 1:
        this.handlers.onPack(data)
        return
      case 2:
        this.progress += data.toString('utf8')
        this.flushProgress()
        return
      case 3:
        this.failure += data.toString('utf8')
        return
      default:
        throw bad(`side-band ${this.band}`)
    }
  }

  private endPacket(): void {
    if (this.section === 'acks') {
      const text = Buffer.concat(this.line).toString('utf8').replace(/\n$/, '')
      this.line = []
      this.ackLine(text)
    } else if (this.band === 3) throw serverFailed(this.failure)
  }

  private ackLine(text: string): void {
    if (text === 'NAK' || /^ACK [0-9a-f]{40}$/.test(text)) this.section = 'pack'
    else if (text.startsWith('ERR ')) throw serverFailed(text.slice(4))
    else if (/^(shallow|unshallow) [0-9a-f]{40}$/.test(text)) {
      const [kind, sha] = text.split(' ') as ['shallow' | 'unshallow', Sha]
      this.handlers.onShallow?.(kind, sha)
    } else if (!/^ACK [0-9a-f]{40} \w+$/.test(text)) throw bad('an unexpected line before the pack')
  }

  private flushProgress(): void {
    for (;;) {
      const end = this.progress.search(/[\r\n]/)
      if (end < 0) return
      const line = this.progress.slice(0, end).trim()
      this.progress = this.progress.slice(end + 1)
      if (line !== '') this.handlers.onProgress?.(line)
    }
  }
}

function bad(what: string): AppError {
  return new AppError('bad-response', `The git server's answer is malformed (${what}); check the repo URL.`)
}

// A server's own words, shown to people: control characters dropped (no terminal sequences), length bounded.
function serverFailed(message: string): AppError {
  const clean = message
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\x00-\x1f\x7f]+/g, ' ')
    .trim()
    .slice(0, 300)
  return new AppError('clone-failed', `The git server failed to send the pack: ${clean || 'no reason given'}.`)
}
