import { constants, Inflate, inflateSync } from 'node:zlib'

/** Inflates the zlib stream at `input[from..]` whose uncompressed length is known; bytes after it are ignored. */
export type SizedInflate = (input: Buffer, size: number, from?: number) => Buffer

/** A reusable inflater and the means to release its native state. */
export interface Inflater {
  inflate: SizedInflate
  close: () => void
}

/**
 * The native binding behind node's zlib streams. `inflateSync` builds and tears one down per call,
 * which costs several times the inflating of a 200-byte commit; one handle reset between streams does not.
 */
export interface ZlibHandle {
  writeSync(
    flush: number,
    input: Buffer,
    inOff: number,
    inLen: number,
    out: Buffer,
    outOff: number,
    outLen: number,
  ): void
  reset(): void
  onerror: (message: string, errno: number) => void
}

/** Where a node zlib stream keeps its handle and the counts its last write left (output, input). */
export interface ZlibInternals {
  _handle?: ZlibHandle
  _writeState?: Uint32Array
}

/**
 * An inflater for many small objects in a row (a cold commit index build inflates one per commit).
 * It reuses one native zlib handle; whenever that path cannot vouch for the exact result (a stream
 * that errs, or whose length differs from `size`) it answers with plain `inflateSync`, so results
 * and errors are those of `inflateSync`.
 */
export function createInflater(): Inflater {
  let stream: Inflate | undefined
  let handle: ZlibHandle | undefined
  let state: Uint32Array | undefined
  let failed = false
  let unavailable = false

  const open = (): boolean => {
    if (handle) return true
    if (unavailable) return false
    const s = new Inflate()
    const internals = s as unknown as ZlibInternals
    if (typeof internals._handle?.writeSync !== 'function' || !(internals._writeState instanceof Uint32Array)) {
      // A node whose zlib stream lacks these internals: plain inflateSync from now on.
      unavailable = true
      s.close()
      return false
    }
    stream = s
    handle = internals._handle
    state = internals._writeState
    handle.onerror = () => {
      failed = true
    }
    return true
  }

  const drop = (): void => {
    stream?.close()
    stream = handle = state = undefined
  }

  const inflate: SizedInflate = (input, size, from = 0) => {
    // The binding aborts the process on out-of-range offsets, so those never reach it.
    if (!(from >= 0 && from <= input.length) || !open() || !handle || !state) return inflateSync(input.subarray(from))
    // One spare byte tells "exactly `size`" from "at least `size`".
    const out = Buffer.allocUnsafe(size + 1)
    failed = false
    handle.writeSync(constants.Z_FINISH, input, from, input.length - from, out, 0, out.length)
    if (failed) {
      drop()
      return inflateSync(input.subarray(from))
    }
    const spare = state[0]
    handle.reset()
    return spare === 1 ? out.subarray(0, size) : inflateSync(input.subarray(from))
  }

  return { inflate, close: drop }
}
