import { AppError } from '../../../../shared/errors'
import { request, type FetchLike, type HttpAnswer } from '../../http/client'
import { statusError } from '../../http/errors'

/** One read of a version page: where, what it is called in messages, and the bearer credential if any. */
export interface PageRead {
  url: string
  /** Human label, e.g. "The version endpoint of web in qa at https://…"; never holds a secret. */
  label: string
  credential?: { name: string; secret: string }
  fetch?: FetchLike
  timeoutMs?: number
  signal?: AbortSignal
}

/**
 * GETs a version page (a service's own `/version`, Spring's `/actuator/info`…) with `Authorization: Bearer`
 * when the workspace names a credential. Any 2xx is the page; every other status is translated.
 */
export async function readPage(read: PageRead): Promise<HttpAnswer> {
  if (!URL.canParse(read.url)) throw new AppError('invalid-workspace', `${read.label} has an invalid URL.`)
  const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.5' }
  if (read.credential) headers.authorization = `Bearer ${read.credential.secret}`
  const target = {
    label: read.label,
    ...(read.fetch ? { fetch: read.fetch } : {}),
    ...(read.timeoutMs !== undefined ? { timeoutMs: read.timeoutMs } : {}),
    ...(read.signal ? { signal: read.signal } : {}),
  }
  const answer = await request(target, read.url, { headers })
  if (answer.status >= 200 && answer.status < 300) return answer
  throw statusError(target, answer.status, {
    ...(read.credential ? { credential: read.credential.name } : {}),
    notFound: 'check the URL in the workspace file',
  })
}
