/** Every error a user can act on carries one of these codes; anything else is a bug. */
export type ErrorCode =
  | 'invalid-input'
  | 'invalid-workspace'
  | 'no-workspace'
  | 'not-found'
  | 'ambiguous-sha'
  | 'sha-not-in-clone'
  | 'not-a-descendant'
  | 'current-unknown'
  | 'not-pushed'
  | 'auth-failed'
  | 'forbidden'
  | 'endpoint-unreachable'
  | 'timeout'
  | 'bad-response'
  | 'keychain-unavailable'
  | 'credential-missing'
  | 'deploy-conflict'
  | 'locked'
  | 'missing-signoff'
  | 'deploy-failed'
  | 'clone-failed'
  | 'clone-incomplete'
  | 'push-rejected'
  | 'merge-conflict'
  | 'cancelled'
  | 'unsupported'
  | 'not-ready'
  | 'internal'

/** The plain-data form of an error, as it crosses IPC, HTTP and the CLI's --json. */
export interface AppErrorData {
  code: ErrorCode
  message: string
  /** Structured context a UI can render (candidates of an ambiguous SHA, removed commits, problems…). Never a secret. */
  details?: unknown
}

/** An error a user can act on: a closed code and a message that says what to do. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details?: unknown

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message)
    this.name = 'AppError'
    this.code = code
    if (details !== undefined) this.details = details
  }

  toData(): AppErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** Whether a value is an AppError (also across realms, by shape). */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError
}

/** Turns anything thrown into AppErrorData; unknown errors become `internal` without leaking their text. */
export function toErrorData(error: unknown): AppErrorData {
  if (error instanceof AppError) return error.toData()
  return { code: 'internal', message: 'Something went wrong inside Trainyard; the log has the details.' }
}

/** Rebuilds an AppError from its plain-data form (the client side of a transport). */
export function fromErrorData(data: AppErrorData): AppError {
  return new AppError(data.code, data.message, data.details)
}
