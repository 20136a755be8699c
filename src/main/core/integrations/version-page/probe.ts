import { AppError } from '../../../../shared/errors'
import { requireSecret } from '../../credentials/require-secret'
import { displayUrl } from '../../http/urls'
import { fill } from '../probe-context'
import type { Probe } from '../probe-context'
import { readPage } from './client'
import { atPointer } from './json-pointer'
import { boundedMatch } from './bounded-match'

/**
 * Asks the running service what it runs: a JSON body read at a JSON pointer (e.g. `/git/commit/id`
 * of Spring's /actuator/info), or a text body matched by a regex (first capture group, else the match).
 */
export const httpProbe: Probe<'http'> = async (config, ctx) => {
  const url = fill(config.url, ctx)
  const what = `The version endpoint of ${ctx.service} in ${ctx.environment}`
  const credential = config.credential
    ? { name: config.credential, secret: await requireSecret(ctx.secret, config.credential, what) }
    : undefined
  const page = await readPage({
    url,
    label: `${what} at ${displayUrl(url)}`,
    fetch: ctx.fetch,
    signal: ctx.signal,
    ...(credential ? { credential } : {}),
  })
  const body = page.text
  if (config.format === 'json') {
    let document: unknown
    try {
      document = JSON.parse(body)
    } catch {
      throw new AppError('bad-response', `${what} did not answer JSON at ${displayUrl(url)} (${body.length} bytes).`)
    }
    let value: unknown
    try {
      value = atPointer(document, config.pointer)
    } catch {
      throw new AppError(
        'invalid-workspace',
        `The probe of ${ctx.service} in ${ctx.environment} has a malformed JSON pointer "${config.pointer}".`,
      )
    }
    if (typeof value === 'string' && value.trim() !== '') return { raw: value.trim() }
    if (typeof value === 'number') return { raw: String(value) }
    throw new AppError(
      'bad-response',
      `${what} has no text value at JSON pointer "${config.pointer}" (${displayUrl(url)}).`,
    )
  }
  let raw: string
  try {
    raw = (boundedMatch(config.pattern, body, `The probe of ${ctx.service} in ${ctx.environment}`) ?? '').trim()
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError('invalid-workspace', `The probe of ${ctx.service} in ${ctx.environment} has an invalid pattern.`)
  }
  if (raw === '')
    throw new AppError(
      'bad-response',
      `${what} answered, but nothing in it matches the probe's pattern (${displayUrl(url)}).`,
    )
  return { raw }
}
