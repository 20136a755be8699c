/** A run of log text with the SGR styles in force over it. */
export interface AnsiSegment {
  text: string
  bold: boolean
  italic: boolean
  underline: boolean
  /** Foreground colour name (`red`, `bright-green`…), if any. */
  fg?: string
  bg?: string
}

const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const
// Any escape sequence: CSI (ESC [ … final byte), OSC (ESC ] … BEL/ST) or a lone two-byte escape.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[([0-9;?]*)([@-~])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]/g

type Style = Omit<AnsiSegment, 'text'>

function apply(style: Style, params: string): Style {
  const codes = params === '' ? [0] : params.split(';').map((p) => Number(p || '0'))
  let next: Style = { ...style }
  for (const code of codes) {
    if (code === 0) next = { bold: false, italic: false, underline: false }
    else if (code === 1) next.bold = true
    else if (code === 3) next.italic = true
    else if (code === 4) next.underline = true
    else if (code === 22) next.bold = false
    else if (code === 23) next.italic = false
    else if (code === 24) next.underline = false
    else if (code >= 30 && code <= 37) next.fg = NAMES[code - 30]
    else if (code === 39) delete next.fg
    else if (code >= 90 && code <= 97) next.fg = `bright-${NAMES[code - 90]}`
    else if (code >= 40 && code <= 47) next.bg = NAMES[code - 40]
    else if (code === 49) delete next.bg
    // Other SGR codes (256 colours, blink…) are dropped: the text still shows.
  }
  return next
}

/**
 * Splits one log line into styled segments. Only SGR codes are honoured; every other escape sequence is removed.
 * The segments are plain text: the caller renders them as text nodes, never as HTML.
 */
export function parseAnsi(
  line: string,
  start: Style = { bold: false, italic: false, underline: false },
): { segments: AnsiSegment[]; end: Style } {
  const segments: AnsiSegment[] = []
  let style = start
  let last = 0
  const push = (text: string) => {
    if (text) segments.push({ text, ...style })
  }
  for (const match of line.matchAll(ESCAPE)) {
    push(line.slice(last, match.index))
    if (match[2] === 'm') style = apply(style, match[1] ?? '')
    last = match.index + match[0].length
  }
  push(line.slice(last))
  return { segments, end: style }
}
