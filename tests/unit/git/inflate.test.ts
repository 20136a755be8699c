import { deflateSync, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createInflater } from '../../../src/main/core/git/objects/inflate'

function seeded(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    return s / 0x80000000
  }
}

describe('createInflater', () => {
  it('gives the bytes inflateSync gives, for many streams in a row with trailing bytes after each', () => {
    const rnd = seeded(7)
    const { inflate, close } = createInflater()
    for (let n = 0; n < 300; n++) {
      const size = Math.floor(rnd() * (n % 10 === 0 ? 70_000 : 400))
      const text = Buffer.from(Array.from({ length: size }, () => 'abcdefgh\n'.charCodeAt(Math.floor(rnd() * 9))))
      const packed = Buffer.concat([deflateSync(text), Buffer.from('next entry follows')])
      expect(inflate(packed, size).equals(text)).toBe(true)
    }
    close()
  })

  it('answers like inflateSync when the announced size is wrong', () => {
    const { inflate, close } = createInflater()
    const text = Buffer.from('tree 0123\nauthor A <a@b> 1 +0000\n\nsubject\n')
    const packed = deflateSync(text)
    expect(inflate(packed, text.length - 5).equals(text)).toBe(true)
    expect(inflate(packed, text.length + 5).equals(text)).toBe(true)
    expect(inflate(packed, text.length).equals(text)).toBe(true)
    close()
  })

  it('throws what inflateSync throws for a broken stream, and keeps working afterwards', () => {
    const { inflate, close } = createInflater()
    const text = Buffer.from('x'.repeat(500))
    const packed = deflateSync(text)
    const truncated = packed.subarray(0, 6)
    const corrupt = Buffer.from(packed)
    corrupt[0] = 0x00
    for (const broken of [truncated, corrupt]) {
      let expected: unknown
      try {
        inflateSync(broken)
      } catch (e) {
        expected = e
      }
      expect(expected).toBeInstanceOf(Error)
      expect(() => inflate(broken, text.length)).toThrow((expected as Error).message)
    }
    expect(inflate(packed, text.length).equals(text)).toBe(true)
    close()
  })
})

describe('createInflater with an offset', () => {
  it('inflates the stream starting at `from`, and fails like inflateSync when `from` is past the end', () => {
    const { inflate, close } = createInflater()
    const text = Buffer.from('parent 0123\n\nsubject\n')
    const input = Buffer.concat([Buffer.from([0x91, 0x22, 0x07]), deflateSync(text)])
    expect(inflate(input, text.length, 3).equals(text)).toBe(true)
    expect(() => inflate(input, text.length, input.length + 20)).toThrow()
    close()
  })
})
