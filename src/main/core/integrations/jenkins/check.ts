import { AppError } from '../../../../shared/errors'
import type { EndpointCheckOf } from '../check-context'
import { JenkinsSession } from './session'

/** `GET /api/json` as the user proves user and token; `X-Jenkins` names the version (B.1). */
export const checkJenkins: EndpointCheckOf<'jenkins'> = async (endpoint, ctx) => {
  const session = new JenkinsSession({
    endpoint,
    credential: endpoint.credential,
    secret: () => Promise.resolve(ctx.secret),
    timeoutMs: ctx.timeoutMs,
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
  })
  const answer = await session.get('api/json', 'checking the user', { notFound: 'check the URL' })
  try {
    JSON.parse(answer.text)
  } catch {
    throw new AppError('bad-response', `${session.label} answered something that is not JSON.`)
  }
  const version = answer.headers.get('x-jenkins')
  return `Jenkins${version ? ` ${version}` : ''}: user ${endpoint.user} accepted`
}
