import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { processOutput, type OutputStream } from '../../../src/main/cli/output'
import { MAX_LINE, oneLine, terminalText } from '../../../src/main/cli/terminal-text'

function stream(tty: boolean): { stream: OutputStream; text: () => string } {
  const pass = new PassThrough()
  const chunks: Buffer[] = []
  pass.on('data', (c: Buffer) => chunks.push(c))
  return { stream: Object.assign(pass, { isTTY: tty }), text: () => Buffer.concat(chunks).toString('utf8') }
}

const LOG =
  '\x1b[1;31mred\x1b[0m \x1b]0;title\x07\x1b]52;c;eA==\x1b\\\x1b]8;;https://x.example/\x07link\x1b]8;;\x07 \x1b[2K\x1b[3A\x1b[6n\x1bPq#0\x1b\\\x1b7\x1b8ok'

describe('the CLI output edge', () => {
  it('keeps SGR colours on a terminal and removes every other sequence', () => {
    const out = stream(true)
    const err = stream(true)
    processOutput(false, out.stream, err.stream, {}).line(LOG)
    expect(out.text()).toBe('\x1b[1;31mred\x1b[0m link ok\n')
  })

  it('removes colours too when piped, or on a terminal with NO_COLOR', () => {
    const piped = stream(false)
    processOutput(false, piped.stream, stream(false).stream, {}).line(LOG)
    expect(piped.text()).toBe('red link ok\n')
    const noColour = stream(true)
    processOutput(false, noColour.stream, stream(true).stream, { NO_COLOR: '1' }).line(LOG)
    expect(noColour.text()).toBe('red link ok\n')
  })

  it('cleans error messages on stderr, and redraws progress only on a terminal', () => {
    const out = stream(true)
    const err = stream(true)
    const output = processOutput(false, out.stream, err.stream, {})
    output.error(new AppError('bad-response', 'answered "\x1b]0;x\x07\x1b[2Jv1"'))
    output.progress('billing: \x1b[31mreceiving\r 3/4')
    expect(err.text()).toBe('trainyard: answered "v1"\n\r\x1b[Kbilling: receiving 3/4')
    const piped = stream(false)
    processOutput(false, stream(false).stream, piped.stream, {}).progress('billing: receiving')
    expect(piped.text()).toBe('')
  })

  it('escapes DEL and C1 controls in JSON, which JSON.stringify leaves raw', () => {
    const out = stream(true)
    processOutput(true, out.stream, stream(true).stream, {}).result({ subject: 'a\u009b2Jb\x7f' }, () => '')
    expect(out.text()).toBe('{\n  "subject": "a\\u009b2Jb\\u007f"\n}\n')
    expect(JSON.parse(out.text())).toEqual({ subject: 'a\u009b2Jb\x7f' })
  })

  it('drops an unfinished sequence’s introducer and leaves its text inert', () => {
    expect(terminalText('v1\x1b]0;o', true)).toBe('v10;o')
    expect(terminalText('a\x1b[31', true)).toBe('a31')
    expect(terminalText('tab\tand\nnewline', false)).toBe('tab\tand\nnewline')
  })

  it('cuts lines past the limit with an ellipsis, never half a surrogate pair', () => {
    const long = 'x'.repeat(MAX_LINE * 3)
    const printed = terminalText(`short\n${long}\nend`, false).split('\n')
    expect(printed.map((l) => l.length)).toEqual([5, MAX_LINE, 3])
    expect(printed[1]?.endsWith('…')).toBe(true)
    expect(oneLine(`${'a'.repeat(118)}😀tail`)).toBe(`${'a'.repeat(118)}…`)
    expect(oneLine('subject\nbody')).toBe('subject')
  })
})
