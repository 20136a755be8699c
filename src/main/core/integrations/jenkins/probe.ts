import { AppError } from '../../../../shared/errors'
import { endpointOf, fill } from '../probe-context'
import type { Probe } from '../probe-context'
import { JenkinsSession, jobPath } from './session'

const FIELDS = 'number,result,building,timestamp,actions[parameters[name,value],lastBuiltRevision[SHA1]]'
/** Builds scanned when one job deploys several environments. */
const SCAN = 50

interface BuildShape {
  number?: unknown
  result?: unknown
  building?: unknown
  actions?: ({ parameters?: { name?: unknown; value?: unknown }[]; lastBuiltRevision?: { SHA1?: unknown } } | null)[]
}

/**
 * The SHA of the last successful build of a Jenkins deploy job (B.7, B.10): `lastSuccessfulBuild`, or
 * with an environment parameter the newest successful of the last 50 builds whose parameter matches.
 * The SHA is the named parameter (what was requested), else the git plugin's lastBuiltRevision.
 */
export const jenkinsProbe: Probe<'jenkins'> = async (config, ctx) => {
  const endpoint = endpointOf(ctx, config.endpoint, 'jenkins')
  const session = new JenkinsSession({
    endpoint,
    credential: endpoint.credential,
    secret: ctx.secret,
    fetch: ctx.fetch,
    signal: ctx.signal,
  })
  const job = fill(config.job, ctx)
  const what = `Jenkins job ${job}`
  const wanted = config.environmentParameter
  if (!wanted) {
    const build = (await session.json(
      `${jobPath(job)}lastSuccessfulBuild/api/json?tree=${FIELDS}`,
      `reading the last successful build of ${job}`,
      { notFound: 'check the job name and folders; a job never built successfully has no such build' },
    )) as BuildShape
    return { raw: shaOf(build, config.shaParameter, what) }
  }
  const value = fill(wanted.value, ctx)
  const job_ = (await session.json(
    `${jobPath(job)}api/json?tree=builds[${FIELDS}]{0,${SCAN}}`,
    `reading the builds of ${job}`,
  )) as { builds?: unknown }
  if (!Array.isArray(job_.builds))
    throw new AppError('bad-response', `${what}: the builds list is missing from Jenkins' answer.`)
  const builds = (job_.builds as BuildShape[])
    .filter((b) => b.building !== true && (b.result === 'SUCCESS' || b.result === 'UNSTABLE'))
    .filter((b) => parameter(b, wanted.name) === value)
    .sort((a, b) => Number(b.number) - Number(a.number))
  const newest = builds[0]
  if (!newest)
    throw new AppError(
      'not-found',
      `${what} has no successful build with ${wanted.name}=${value} among the last ${SCAN}.`,
    )
  return { raw: shaOf(newest, config.shaParameter, what) }
}

function parameter(build: BuildShape, name: string): string | undefined {
  for (const action of build.actions ?? []) {
    for (const p of action?.parameters ?? []) {
      if (
        p.name === name &&
        (typeof p.value === 'string' || typeof p.value === 'number' || typeof p.value === 'boolean')
      )
        return String(p.value)
    }
  }
  return undefined
}

function shaOf(build: BuildShape, shaParameter: string, what: string): string {
  const requested = parameter(build, shaParameter)
  if (requested) return requested
  for (const action of build.actions ?? []) {
    const built = action?.lastBuiltRevision?.SHA1
    if (typeof built === 'string' && built !== '') return built
  }
  throw new AppError(
    'bad-response',
    `${what}: build ${String(build.number)} has no parameter ${shaParameter} and no built revision.`,
  )
}
