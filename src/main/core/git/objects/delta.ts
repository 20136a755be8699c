import { AppError } from '../../../../shared/errors'

/** Applies a git delta (copy/insert instructions) to `base`, giving the target object's bytes. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let pos = 0
  const varint = (): number => {
    let value = 0
    let shift = 0
    let byte: number
    do {
      byte = delta[pos++] ?? 0
      value += (byte & 0x7f) * 2 ** shift
      shift += 7
    } while (byte & 0x80)
    return value
  }
  const baseSize = varint()
  if (baseSize !== base.length) throw new AppError('internal', 'Delta base size does not match its base object.')
  const out = Buffer.allocUnsafe(varint())
  let written = 0
  while (pos < delta.length) {
    const op = delta[pos++] ?? 0
    if (op & 0x80) {
      let offset = 0
      let size = 0
      for (let i = 0; i < 4; i++) if (op & (1 << i)) offset += (delta[pos++] ?? 0) * 2 ** (8 * i)
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) size += (delta[pos++] ?? 0) << (8 * i)
      if (size === 0) size = 0x10000
      written += base.copy(out, written, offset, offset + size)
    } else if (op > 0) {
      written += delta.copy(out, written, pos, pos + op)
      pos += op
    } else {
      throw new AppError('internal', 'Delta has a reserved zero instruction.')
    }
  }
  if (written !== out.length) throw new AppError('internal', 'Delta result has the wrong size.')
  return out
}
