import { displayUrl } from '../../http/urls'
import type { EndpointCheckOf } from '../check-context'
import { readPage } from './client'

/** One GET of the page, with the bearer credential when one is named. */
export const checkVersionPage: EndpointCheckOf<'http'> = async (endpoint, ctx) => {
  const page = await readPage({
    url: endpoint.url,
    label: `The server at ${displayUrl(endpoint.url)}`,
    timeoutMs: ctx.timeoutMs,
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(endpoint.credential !== undefined && ctx.secret !== undefined
      ? { credential: { name: endpoint.credential, secret: ctx.secret } }
      : {}),
  })
  return `HTTP ${page.status} from ${displayUrl(endpoint.url)}`
}
