/* eslint-disable no-control-regex -- finding control characters is what this file is for */
/*
 * Deploy logs, commit subjects, branch names and error messages come from other people's systems. Printed raw,
 * their escape sequences would drive the reader's terminal: retitle the window, clear the screen, write the
 * clipboard (OSC 52), plant links (OSC 8), move the cursor over earlier lines, or ask for a device status whose
 * answer is typed into the shell. Only SGR (colours, bold…) is harmless, and only on a terminal.
 */

const SEQUENCE = new RegExp(
  [
    // ESC ] … BEL or ST: window title, clipboard, hyperlinks, palette changes (7- and 8-bit forms).
    /(?:\x1b\]|\x9d)[\s\S]*?(?:\x07|\x1b\\|\x9c)/.source,
    // ESC P / X / ^ / _ … ST: device control strings, SOS, PM, APC.
    /(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[\s\S]*?(?:\x1b\\|\x9c)/.source,
    // ESC [ params intermediates final: cursor moves, erasing, device status requests; SGR when the final is `m`.
    /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]/.source,
    // Any other escape, or the start of an unfinished one: ESC c (reset), ESC 7/8, ESC D/M, charset switches…
    /\x1b[ -/]*[0-~]?/.source,
    // What is left of C0 and C1 but newline and tab: bell, backspace, carriage return (overwrites a line), DEL.
    /[\x00-\x08\x0b-\x1f\x7f-\x9f]/.source,
  ].join('|'),
  'g',
)
const SGR = /^\x1b\[[0-9;:]*m$/

/** Longest line printed, in UTF-16 units; a longer one (a 10 MB commit subject) ends in "…". */
export const MAX_LINE = 2000

/**
 * Text for a terminal: every control sequence removed except SGR colours when `colours` is true, and each line
 * cut at MAX_LINE. Text that has none comes back unchanged.
 */
export function terminalText(text: string, colours: boolean): string {
  const clean = text.replace(SEQUENCE, (sequence) => (colours && SGR.test(sequence) ? sequence : ''))
  return clean.length <= MAX_LINE ? clean : clean.split('\n').map(cutLine).join('\n')
}

function cutLine(line: string): string {
  return line.length <= MAX_LINE ? line : `${sliceWhole(line, MAX_LINE - 1)}…`
}

/** The first `length` UTF-16 units, one fewer rather than half of a surrogate pair. */
function sliceWhole(text: string, length: number): string {
  const code = text.charCodeAt(length - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length)
}

/**
 * JSON for any output: `JSON.stringify` escapes C0 controls but writes DEL and C1 controls (U+009B is an 8-bit
 * CSI) as they are, and they can only occur inside strings, where `\uXXXX` means the same.
 */
export function terminalJson(json: string): string {
  return json.replace(/[\x7f-\x9f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** One line of a text field, at most `max` characters: a subject, a branch name, a log excerpt. */
export function oneLine(text: string, max = 120): string {
  const first = text.split('\n', 1)[0] ?? ''
  return first.length <= max ? first : `${sliceWhole(first, max - 1)}…`
}
