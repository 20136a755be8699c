import type { EndpointCheckOf } from '../check-context'
import { createGitHub } from './client'

/** `GET /rate_limit` proves the token (or anonymous access) without spending any of its budget. */
export const checkGitHub: EndpointCheckOf<'github'> = async (endpoint, ctx) => {
  const secret = ctx.secret
  const github = createGitHub({
    baseUrl: endpoint.url,
    ...(secret !== undefined ? { token: () => Promise.resolve(secret) } : {}),
    ...(endpoint.credential !== undefined ? { credential: endpoint.credential } : {}),
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
  })
  const budget = await github.rateLimit({ signal: AbortSignal.timeout(ctx.timeoutMs) })
  const left = budget ? `; ${budget.remaining} of ${budget.limit} requests left` : ''
  return `GitHub: ${secret === undefined ? 'anonymous access works' : 'token accepted'}${left}`
}
