import { expect } from 'vitest'
import { AppError } from '../../src/shared/errors'

/** The AppError a promise rejects with; the test fails when it resolves, or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}
