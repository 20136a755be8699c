import { AppError } from '../../../../shared/errors'

/** The sizes a git delta declares: of its base, of its result, and where its instructions start. */
export function deltaSizes(delta: Buffer): { base: number; target: number; at: number } {
  let pos = 0
  const varint = (): number => {
    let value = 0
    let shift = 0
    let byte: number
    do {
      byte = delta[pos++] ?? 0
      value += (byte & 0x7f) * 2 ** shift
      shift += 7
    } while (byte & 0x80 && shift < 64)
    return value
  }
  const base = varint()
  const target = varint()
  return { base, target, at: pos }
}

/** Applies a git delta (copy/insert instructions) to `base`, giving the target object's bytes. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  const out = Buffer.allocUnsafe(deltaSizes(delta).target)
  applyDeltaInto(base, delta, out, 0)
  return out
}

/**
 * Applies a git delta to `base`, writing the result at `out[outAt..]`, which must have room for the size
 * `deltaSizes` gives (a caller reuses one buffer for the many results it hashes and drops). Returns that size.
 */
export function applyDeltaInto(base: Buffer, delta: Buffer, out: Buffer, outAt: number): number {
  const sizes = deltaSizes(delta)
  if (sizes.base !== base.length) throw new AppError('internal', 'Delta base size does not match its base object.')
  const end = outAt + sizes.target
  if (end > out.length) throw new RangeError('delta result does not fit')
  let pos = sizes.at
  let written = outAt
  while (pos < delta.length) {
    const op = delta[pos++] ?? 0
    if (op & 0x80) {
      let offset = 0
      let size = 0
      for (let i = 0; i < 4; i++) if (op & (1 << i)) offset += (delta[pos++] ?? 0) * 2 ** (8 * i)
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) size += (delta[pos++] ?? 0) << (8 * i)
      if (size === 0) size = 0x10000
      if (offset + size > base.length || written + size > end)
        throw new AppError('internal', 'Delta copies from outside its base.')
      written += base.copy(out, written, offset, offset + size)
    } else if (op > 0) {
      if (pos + op > delta.length || written + op > end)
        throw new AppError('internal', 'Delta inserts more than it holds.')
      written += delta.copy(out, written, pos, pos + op)
      pos += op
    } else {
      throw new AppError('internal', 'Delta has a reserved zero instruction.')
    }
  }
  if (written !== end) throw new AppError('internal', 'Delta result has the wrong size.')
  return sizes.target
}
