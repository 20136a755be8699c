/** Where the core writes what happened; never given a secret. */
export interface Logger {
  info(message: string): void
  warn(message: string): void
  error(message: string, error?: unknown): void
}

/** A logger that writes to stderr (so --json output on stdout stays clean). */
export function stderrLogger(prefix = 'trainyard'): Logger {
  const write = (level: string, message: string) => process.stderr.write(`${prefix} ${level}: ${message}\n`)
  return {
    info: (m) => {
      if (process.env.TRAINYARD_VERBOSE) write('info', m)
    },
    warn: (m) => write('warn', m),
    error: (m, e) => write('error', e instanceof Error && e.stack ? `${m}\n${e.stack}` : m),
  }
}

/** A logger that keeps lines in memory, for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m, e) => lines.push(`error: ${m}${e instanceof Error ? ` ${e.message}` : ''}`),
  }
}
