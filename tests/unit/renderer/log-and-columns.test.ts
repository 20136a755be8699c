import { describe, expect, it } from 'vitest'
import { parseAnsi } from '../../../src/renderer/src/lib/ansi'
import { columnGroups } from '../../../src/renderer/src/lib/matrix-columns'

describe('parseAnsi', () => {
  it('keeps markup in a log as plain text', () => {
    const { segments } = parseAnsi('Smoke test → <b>200 OK</b> &amp; <script>x</script>')
    expect(segments.map((s) => s.text).join('')).toBe('Smoke test → <b>200 OK</b> &amp; <script>x</script>')
  })

  it('applies bold, italic, foreground, bright and background colours, and resets on 0', () => {
    const { segments } = parseAnsi('\u001b[1;32mok\u001b[0m plain \u001b[3;91;44mbad\u001b[m')
    expect(segments).toEqual([
      { text: 'ok', bold: true, italic: false, underline: false, fg: 'green' },
      { text: ' plain ', bold: false, italic: false, underline: false },
      { text: 'bad', bold: false, italic: true, underline: false, fg: 'bright-red', bg: 'blue' },
    ])
  })

  it('strips escape sequences that are not SGR, and unknown SGR codes', () => {
    const { segments } = parseAnsi('\u001b[2K\u001b[1Gline\u001b]0;title\u0007 \u001b[38;5;208mstill text')
    expect(segments.map((s) => s.text).join('')).toBe('line still text')
    expect(segments.every((s) => s.fg === undefined)).toBe(true)
  })

  it('carries the style over to the next line', () => {
    const first = parseAnsi('\u001b[33mwarn')
    const second = parseAnsi('continued\u001b[0m', first.end)
    expect(second.segments[0]).toMatchObject({ text: 'continued', fg: 'yellow' })
    expect(second.end.fg).toBeUndefined()
  })
})

describe('columnGroups', () => {
  it('shows shared environments once and each region its own', () => {
    const groups = columnGroups({
      environments: ['dev', 'qa', 'staging', 'production-uk', 'production-us'],
      regions: [
        { name: 'uk', label: 'United Kingdom', path: ['dev', 'qa', 'staging', 'production-uk'] },
        { name: 'us', label: 'United States', path: ['dev', 'qa', 'staging', 'production-us'] },
      ],
    })
    expect(groups).toEqual([
      { label: 'All regions', environments: ['dev', 'qa', 'staging'] },
      { label: 'United Kingdom', environments: ['production-uk'] },
      { label: 'United States', environments: ['production-us'] },
    ])
  })

  it('with one region, groups under its name only', () => {
    const groups = columnGroups({
      environments: ['staging', 'production'],
      regions: [{ name: 'eu', label: 'Europe', path: ['staging', 'production'] }],
    })
    expect(groups).toEqual([{ label: 'Europe', environments: ['staging', 'production'] }])
  })
})
