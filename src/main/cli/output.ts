import type { AppError } from '../../shared/errors'

/** Where a CLI command writes: text for people, JSON for machines. */
export interface Output {
  json: boolean
  /** Prints a value as JSON in --json mode, or the text rendering otherwise. */
  result(value: unknown, text: () => string): void
  line(text: string): void
  /** Something a person should know that is not the result (a refused trigger, skipped journal lines): on stderr. */
  warn(text: string): void
  error(error: AppError): void
}

/** The process's stdout/stderr as an Output. */
export function processOutput(
  json: boolean,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Output {
  return {
    json,
    result: (value, text) => stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`),
    line: (text) => stdout.write(`${text}\n`),
    warn: (text) => stderr.write(`trainyard: ${text}\n`),
    error: (error) => {
      if (json) stdout.write(`${JSON.stringify({ error: error.toData() }, null, 2)}\n`)
      stderr.write(`trainyard: ${error.message}\n`)
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
