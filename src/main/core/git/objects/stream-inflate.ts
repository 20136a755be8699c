import { constants, Inflate } from 'node:zlib'
import { AppError } from '../../../../shared/errors'
import type { ZlibHandle, ZlibInternals } from './inflate'

// Built on the native handle inflate.ts uses: its `writeSync` reports how much input it consumed, which is what
// tells where a pack entry's zlib stream ends (pack entries record no compressed length).

/**
 * One zlib stream inflated piece by piece, as the pieces arrive: each `write` takes what input and output
 * room it is given and says how much of each it used and whether the stream has ended, so the bytes after
 * the end (the next pack entry) are left to the caller. One native handle serves stream after stream.
 */
export class StreamInflate {
  /** Input bytes the last `write` consumed. */
  read = 0
  /** Output bytes the last `write` produced. */
  written = 0
  /** Whether the stream has ended (nothing more will be read or produced until `reset`). */
  ended = false

  private readonly stream: Inflate
  private readonly handle: ZlibHandle
  private readonly state: Uint32Array
  private error: string | undefined

  constructor() {
    const stream = new Inflate()
    const internals = stream as unknown as ZlibInternals
    if (typeof internals._handle?.writeSync !== 'function' || !(internals._writeState instanceof Uint32Array)) {
      stream.close()
      throw new AppError(
        'unsupported',
        `This Node.js (${process.version}) lacks the zlib internals Trainyard's pack indexer needs; use Node 20.19 or later.`,
      )
    }
    this.stream = stream
    this.handle = internals._handle
    this.state = internals._writeState
    this.handle.onerror = (message) => {
      this.error = message
    }
  }

  /** Starts a new stream. */
  reset(): void {
    this.handle.reset()
    this.ended = false
    this.error = undefined
  }

  /**
   * Inflates `input[from..to)` into `out[outAt..outEnd)`. Afterwards `read`, `written` and `ended` say what
   * happened; a stream that ends exactly at the end of the input is known to have ended at the next `write`
   * (which then reads nothing). Throws `clone-failed` on data that is not a valid zlib stream.
   */
  write(input: Buffer, from: number, to: number, out: Buffer, outAt: number, outEnd: number): void {
    const inLen = to - from
    const outLen = outEnd - outAt
    if (this.ended) {
      this.read = this.written = 0
      return
    }
    // The binding aborts the process on out-of-range offsets, so those never reach it.
    if (from < 0 || to > input.length || inLen < 0 || outAt < 0 || outEnd > out.length || outLen < 0)
      throw new RangeError('inflate window out of range')
    this.handle.writeSync(constants.Z_SYNC_FLUSH, input, from, inLen, out, outAt, outLen)
    if (this.error !== undefined) throw corrupt(this.error)
    const outLeft = this.state[0] ?? 0
    const inLeft = this.state[1] ?? 0
    this.read = inLen - inLeft
    this.written = outLen - outLeft
    // zlib stops short of both limits only at the end of its stream.
    this.ended = inLeft > 0 && outLeft > 0
  }

  /** Releases the native state. */
  close(): void {
    this.stream.close()
  }
}

function corrupt(message: string): AppError {
  return new AppError('clone-failed', `The pack is corrupt (zlib: ${message}); fetch again.`)
}
