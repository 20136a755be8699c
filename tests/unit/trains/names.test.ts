import { describe, expect, it } from 'vitest'
import { trainId, trainLabel, trainName } from '../../../src/main/core/trains/names'

const settings = {
  names: ['ALICIA', 'BERTHA', 'CHARLIE', 'DARLENE', 'EDNA'],
  anchor: { date: '2026-01-01', name: 'BERTHA' },
}

describe('train names', () => {
  it('gives the anchor cut the anchor name and rotates forwards and backwards, wrapping', () => {
    expect([0, 1, 2, 3, 4, 5].map((w) => trainName(settings, w))).toEqual([
      'BERTHA',
      'CHARLIE',
      'DARLENE',
      'EDNA',
      'ALICIA',
      'BERTHA',
    ])
    expect([-1, -2, -6].map((w) => trainName(settings, w))).toEqual(['ALICIA', 'EDNA', 'ALICIA'])
  })

  it('tells apart two trains of the same name by their cut', () => {
    const a = trainId('BERTHA', new Date('2026-01-02T00:00:00Z'))
    const b = trainId('BERTHA', new Date('2026-02-06T00:00:00Z'))
    expect(a).not.toBe(b)
    expect(trainLabel('BERTHA', new Date('2026-04-02T23:00:00Z'), 'Europe/London')).toBe('BERTHA (cut 2026-04-03)')
  })

  it('reads the anchor name in any case, as the workspace file allows', () => {
    expect(trainName({ ...settings, anchor: { date: '2026-01-01', name: 'bertha' } }, 1)).toBe('CHARLIE')
  })

  it('refuses an anchor name that is not in the list', () => {
    expect(() => trainName({ ...settings, anchor: { date: '2026-01-01', name: 'ZELDA' } }, 0)).toThrow(/ZELDA/)
  })
})
