import { describe, expect, it } from 'vitest'
import { dateOnly, dateTime, zonedDateTime } from '../../../src/renderer/src/lib/format'

describe('the app’s date-time format', () => {
  it('always has the date, on the wall clock of the zone asked for, 24-hour', () => {
    expect(dateTime('2026-12-11T00:00:00.000Z', 'Europe/London')).toBe('Fri 11 Dec 2026, 00:00')
    expect(dateTime('2026-12-11T00:00:00.000Z', 'America/New_York')).toBe('Thu 10 Dec 2026, 19:00')
    // Summer: London is UTC+1, so a Thursday-24:00 cut is 23:00 UTC.
    expect(dateTime('2026-07-09T23:00:00.000Z', 'Europe/London')).toBe('Fri 10 Jul 2026, 00:00')
    expect(dateOnly('2026-07-09T23:00:00.000Z', 'Europe/London')).toBe('Fri 10 Jul 2026')
  })

  it('names the schedule’s zone and adds the local time only when the local clock reads differently', () => {
    expect(zonedDateTime('2026-12-11T00:00:00.000Z', 'Europe/London', 'UTC')).toEqual({
      text: 'Fri 11 Dec 2026, 00:00 Europe/London',
    })
    expect(zonedDateTime('2026-12-11T00:00:00.000Z', 'Europe/London', 'America/New_York')).toEqual({
      text: 'Fri 11 Dec 2026, 00:00 Europe/London',
      local: 'Thu 10 Dec 2026, 19:00 your time',
    })
    expect(zonedDateTime('2026-07-09T23:00:00.000Z', 'Europe/London', 'UTC')).toEqual({
      text: 'Fri 10 Jul 2026, 00:00 Europe/London',
      local: 'Thu 9 Jul 2026, 23:00 your time',
    })
  })
})
