import { describe, expect, it } from 'vitest'
import { diffLines } from '../../../src/main/core/git/diff/diff'
import { LineClasses, splitLines } from '../../../src/main/core/git/diff/line-file'

// Expected changes were read off `git diff --no-index --histogram --no-indent-heuristic -U0` (git 2.39).
function diff(a: string, b: string): string[] {
  const classes = new LineClasses()
  return diffLines(splitLines(Buffer.from(a, 'latin1'), classes), splitLines(Buffer.from(b, 'latin1'), classes)).map(
    (c) => `${c.i1},${c.chg1} ${c.i2},${c.chg2}`,
  )
}

describe('diffLines (histogram, as git)', () => {
  it('finds nothing between equal files and everything against an empty one', () => {
    expect(diff('a\nb\n', 'a\nb\n')).toEqual([])
    expect(diff('', 'a\nb\n')).toEqual(['0,0 0,2'])
    expect(diff('a\nb\n', '')).toEqual(['0,2 0,0'])
  })

  it('slides an insertion of repeated lines down as git does', () => {
    expect(diff('a\nb\nc\n', 'a\nb\nc\na\nb\nc\n')).toEqual(['3,0 3,3'])
    expect(diff('x\n{\n}\ny\n', 'x\n{\n}\n{\n}\ny\n')).toEqual(['3,0 3,2'])
  })

  it('keeps the longest run of rare lines when lines swap places', () => {
    expect(diff('a\nb\nc\nd\ne\n', 'e\nb\nc\nd\na\n')).toEqual(['0,1 0,1', '4,1 4,1'])
  })

  it('treats a missing final newline as a different line, byte for byte', () => {
    expect(diff('a\nb\n', 'a\nb')).toEqual(['1,1 1,1'])
    expect(diff('caf\xe9\n', 'caf\xe8\n')).toEqual(['0,1 0,1'])
  })

  it('splits lines on \\n only, keeping \\r and NUL bytes inside lines', () => {
    const lines = splitLines(Buffer.from('a\r\nb\0c\nlast'), new LineClasses())
    expect(lines.count).toBe(3)
    expect(Array.from(lines.starts)).toEqual([0, 3, 7, 11])
  })

  it('falls back to Myers where every common line is frequent, without losing the edit', () => {
    const a = Array.from({ length: 300 }, (_, i) => (i % 2 ? '}\n' : '\n')).join('')
    const b = a.slice(0, 100) + 'new\n' + a.slice(100)
    expect(diff(a, b)).toEqual(['67,0 67,1'])
  })
})
