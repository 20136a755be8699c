import { describe, expect, it } from 'vitest'
import { applyDelta } from '../../../src/main/core/git/objects/delta'

function varint(n: number): number[] {
  const out: number[] = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n > 0) byte |= 0x80
    out.push(byte)
  } while (n > 0)
  return out
}

describe('applyDelta', () => {
  const base = Buffer.from('The quick brown fox jumps over the lazy dog')

  it('copies ranges of the base and inserts new bytes', () => {
    const insert = Buffer.from('red ')
    const delta = Buffer.from([
      ...varint(base.length),
      ...varint(4 + 4 + 15),
      0x80 | 0x01 | 0x10,
      0,
      4, // copy offset 0, size 4: "The "
      insert.length,
      ...insert, // insert "red "
      0x80 | 0x01 | 0x10,
      16,
      15, // copy offset 16, size 15: "fox jumps over "
    ])
    expect(applyDelta(base, delta).toString()).toBe('The red fox jumps over ')
  })

  it('treats a copy size of zero as 64 KiB', () => {
    const big = Buffer.alloc(0x10000, 7)
    const delta = Buffer.from([...varint(big.length), ...varint(big.length), 0x80])
    expect(applyDelta(big, delta).equals(big)).toBe(true)
  })

  it('rejects a delta made for another base or with the wrong result size', () => {
    expect(() => applyDelta(base, Buffer.from([...varint(base.length + 1), ...varint(1), 1, 65]))).toThrow()
    expect(() => applyDelta(base, Buffer.from([...varint(base.length), ...varint(5), 1, 65]))).toThrow()
  })
})
