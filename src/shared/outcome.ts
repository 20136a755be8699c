import type { AppErrorData } from './errors'

/** What every command returns across a transport: a value, or an error as data. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppErrorData }

/** A successful outcome. */
export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value }
}

/** A failed outcome. */
export function failed<T = never>(error: AppErrorData): Outcome<T> {
  return { ok: false, error }
}
