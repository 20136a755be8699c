import type { AppError } from '../../shared/errors'
import { terminalJson, terminalText } from './terminal-text'

/** Where a CLI command writes: text for people, JSON for machines. */
export interface Output {
  json: boolean
  /** Prints a value as JSON in --json mode, or the text rendering otherwise. */
  result(value: unknown, text: () => string): void
  line(text: string): void
  /** Something a person should know that is not the result (a refused trigger, skipped journal lines): on stderr. */
  warn(text: string): void
  error(error: AppError): void
  /** A progress line redrawn in place on a terminal's stderr; nothing when piped or in --json mode; '' clears it. */
  progress(text: string): void
}

/** A stream that may be a terminal. */
export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean }

/**
 * The process's stdout/stderr as an Output. Every byte a command prints passes here: control sequences from
 * untrusted text are removed, and SGR colours are kept only on a terminal (and not with NO_COLOR).
 */
export function processOutput(
  json: boolean,
  stdout: OutputStream = process.stdout,
  stderr: OutputStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): Output {
  const colours = (stream: OutputStream) => stream.isTTY === true && !env.NO_COLOR
  const write = (stream: OutputStream, text: string) => stream.write(terminalText(text, colours(stream)))
  const writeJson = (value: unknown) => stdout.write(`${terminalJson(JSON.stringify(value, null, 2))}\n`)
  return {
    json,
    result: (value, text) => (json ? writeJson(value) : write(stdout, `${text()}\n`)),
    line: (text) => write(stdout, `${text}\n`),
    warn: (text) => write(stderr, `trainyard: ${text}\n`),
    error: (error) => {
      if (json) writeJson({ error: error.toData() })
      write(stderr, `trainyard: ${error.message}\n`)
    },
    progress: (text) => {
      if (json || stderr.isTTY !== true) return
      // Our own erase-line sequence, outside the text that is cleaned.
      stderr.write(`\r\x1b[K${terminalText(text.replace(/\n/g, ' '), false)}`)
    },
  }
}

/** A fixed-width text table. */
export function table(rows: string[][]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '))
    .join('\n')
}
