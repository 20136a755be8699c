import { AppError, isAppError } from '../../../../shared/errors'
import type {
  DeployProvider,
  ProviderDeployRequest,
  ProviderLogChunk,
  ProviderRunRef,
  ProviderRunState,
  ProviderRunStatus,
} from '../../deploy/provider'
import { MIB, parseJson } from '../../http/client'
import { environmentKeys } from '../environment-keys'
import { JenkinsSession, jobPath } from './session'
import type { JenkinsProviderOptions } from './session'

export type { JenkinsProviderOptions } from './session'

interface QueueItemJson {
  id?: number
  why?: string | null
  cancelled?: boolean
  executable?: { number?: number } | null
  task?: { url?: string }
  actions?: { parameters?: { name?: string; value?: unknown }[] }[]
}

interface BuildJson {
  number?: number
  building?: boolean
  result?: string | null
  timestamp?: number
  duration?: number
  queueId?: number
  actions?: { causes?: { userId?: string }[]; parameters?: { name?: string; value?: unknown }[] }[]
}

/** Jenkins results → provider states (B.7). */
const RESULTS: Record<string, ProviderRunState> = {
  SUCCESS: 'succeeded',
  UNSTABLE: 'unstable',
  FAILURE: 'failed',
  ABORTED: 'aborted',
  NOT_BUILT: 'not-built',
}

/** Console notes Jenkins annotators insert (`ESC[8mha:…ESC[0m`): noise for a reader. */
const CONSOLE_NOTE = new RegExp(
  `${String.fromCharCode(27)}\\[8mha:[^${String.fromCharCode(27)}]*${String.fromCharCode(27)}\\[0m`,
  'g',
)

/** Most bytes of one log read. */
const LOG_BYTES = 32 * MIB

const BUILD_TREE = 'tree=number,building,result,timestamp,duration,queueId,actions[causes[userId]]'

/** A DeployProvider that queues Jenkins builds over the remote access API (contracts doc, Part B). */
export function createJenkinsProvider(options: JenkinsProviderOptions): DeployProvider {
  const session = new JenkinsSession(options)
  const label = session.label
  const jobUrl = (job: string) => `${session.base}/${jobPath(job)}`
  const buildRef = (job: string, number: number, queueId: string | undefined): ProviderRunRef => ({
    provider: 'jenkins',
    id: String(number),
    ...(queueId !== undefined ? { queueId } : {}),
    buildNumber: number,
    url: `${jobUrl(job)}${number}/`,
  })

  /** The job a ref belongs to: read back from its URL, which this provider always builds from the base. */
  function jobOf(ref: ProviderRunRef): string {
    if (ref.provider !== 'jenkins' || ref.url === undefined)
      throw new AppError('invalid-input', `"${ref.id}" is not a Jenkins run of this cockpit.`)
    const path = ref.url.startsWith(session.base) ? ref.url.slice(session.base.length) : new URL(ref.url).pathname
    const segments = path.split('/').filter((s) => s !== '')
    const names: string[] = []
    for (let i = 0; i + 1 < segments.length && segments[i] === 'job'; i += 2)
      names.push(decodeURIComponent(segments[i + 1] ?? ''))
    if (names.length === 0) throw new AppError('invalid-input', `"${ref.url}" is not a Jenkins job or build URL.`)
    return names.join('/')
  }

  async function readQueueItem(queueId: string): Promise<QueueItemJson | undefined> {
    try {
      return (await session.json(`queue/item/${queueId}/api/json`, `reading queue item ${queueId}`)) as QueueItemJson
    } catch (error) {
      // Jenkins forgets an item 5 minutes after it left the queue.
      if (isAppError(error) && error.code === 'not-found') return undefined
      throw error
    }
  }

  async function findBuildOf(job: string, queueId: string): Promise<number | undefined> {
    const out = (await session.json(
      `${jobPath(job)}api/json?tree=builds[number,queueId]{0,50}`,
      `listing builds of ${job}`,
    )) as {
      builds?: BuildJson[]
    }
    return out.builds?.find((b) => String(b.queueId) === queueId)?.number
  }

  async function buildStatus(job: string, number: number, queueId: string | undefined): Promise<ProviderRunStatus> {
    const b = (await session.json(
      `${jobPath(job)}${number}/api/json?${BUILD_TREE}`,
      `reading build ${job} #${number}`,
    )) as BuildJson
    if (typeof b !== 'object' || b === null || typeof b.number !== 'number')
      throw new AppError('bad-response', `${label} answered something that is not a build.`)
    const result = typeof b.result === 'string' ? b.result : null
    const done = b.building !== true && result !== null
    const state = done ? RESULTS[result] : 'running'
    if (state === undefined)
      throw new AppError('bad-response', `${label} reported an unknown build result "${result}".`)
    const status: ProviderRunStatus = {
      ref: buildRef(job, number, queueId ?? (b.queueId !== undefined ? String(b.queueId) : undefined)),
      state,
      detail: result ?? 'building',
      final: done,
    }
    if (typeof b.timestamp === 'number') {
      status.startedAt = new Date(b.timestamp).toISOString()
      if (done && typeof b.duration === 'number') status.endedAt = new Date(b.timestamp + b.duration).toISOString()
    }
    const user = b.actions?.flatMap((a) => a.causes ?? []).find((c) => typeof c.userId === 'string')?.userId
    if (user !== undefined) status.user = user
    return status
  }

  async function status(ref: ProviderRunRef): Promise<ProviderRunStatus> {
    const job = jobOf(ref)
    if (ref.buildNumber !== undefined) return buildStatus(job, ref.buildNumber, ref.queueId)
    const queueId = ref.queueId ?? ref.id
    const item = await readQueueItem(queueId)
    const number = item === undefined ? await findBuildOf(job, queueId) : item.executable?.number
    if (number !== undefined) return buildStatus(job, number, queueId)
    if (item === undefined) {
      throw new AppError(
        'not-found',
        `${label} no longer knows queue item ${queueId} and no recent build of ${job} came from it.`,
      )
    }
    const queued = { provider: 'jenkins' as const, id: queueId, queueId, url: jobUrl(job) }
    if (item.cancelled === true) return { ref: queued, state: 'aborted', detail: 'cancelled in the queue', final: true }
    return { ref: queued, state: 'queued', detail: item.why ?? 'queued', final: false }
  }

  return {
    async trigger(request: ProviderDeployRequest) {
      const job = jenkinsJob(request.job, label)
      const params = new URLSearchParams(job.parameters)
      const action = [...params.keys()].length > 0 ? 'buildWithParameters' : 'build'
      const answer = await session.post(`${jobPath(job.job)}${action}`, `triggering ${job.job}`, params)
      // 201: a new queue item; 303: identical parameters were already queued, so this joined that item.
      const queueId = /\/queue\/item\/(\d+)\/?$/.exec(answer.headers.get('location') ?? '')?.[1]
      if ((answer.status === 201 || answer.status === 303) && queueId !== undefined) {
        return { provider: 'jenkins', id: queueId, queueId, url: jobUrl(job.job) }
      }
      if (answer.status === 302)
        throw new AppError('deploy-failed', `${label} did not queue ${job.job}: scheduling was vetoed.`, {
          status: 302,
        })
      throw new AppError(
        'bad-response',
        `${label} answered HTTP ${answer.status} without a queue item while triggering ${job.job}.`,
        { status: answer.status },
      )
    },
    status,
    async log(ref, cursor): Promise<ProviderLogChunk> {
      const start = cursor ?? '0'
      const known = ref.buildNumber !== undefined ? undefined : await status(ref)
      const number = ref.buildNumber ?? known?.ref.buildNumber
      if (number === undefined) return { lines: [], cursor: start, complete: known?.final === true }
      // Jenkins sends the whole log from `start`: a long one after a restart needs more room than an API answer.
      const answer = await session.get(
        `${jobPath(jobOf(ref))}${number}/logText/progressiveText?start=${encodeURIComponent(start)}`,
        `reading the log of build #${number}`,
        { notFound: 'check the job name and folders', maxBodyBytes: LOG_BYTES },
      )
      return progressiveChunk(answer.text, answer.headers, start, label)
    },
    async abort(ref) {
      const job = jobOf(ref)
      let number = ref.buildNumber
      if (number === undefined) {
        const queueId = ref.queueId ?? ref.id
        try {
          await session.post(`queue/cancelItem?id=${encodeURIComponent(queueId)}`, `cancelling queue item ${queueId}`)
          return
        } catch (error) {
          // 404: the item already left the queue; stop the build it became.
          if (!isAppError(error) || error.code !== 'not-found') throw error
        }
        number = (await status(ref)).ref.buildNumber
        if (number === undefined) return
      }
      await session.post(`${jobPath(job)}${number}/stop`, `stopping build #${number}`)
    },
    async running(request) {
      const job = jenkinsJob(request.job, label)
      const keys = environmentKeys(job.parameters, request.environment)
      const forEnvironment = (actions: BuildJson['actions']) => {
        const values = new Map((actions ?? []).flatMap((a) => a.parameters ?? []).map((p) => [p.name, String(p.value)]))
        return keys.every((k) => values.get(k) === request.environment)
      }
      const tree = 'tree=builds[number,building,queueId,actions[parameters[name,value]]]{0,20}'
      const out = parseJson(
        session.target,
        await session.get(`${jobPath(job.job)}api/json?${tree}`, `listing builds of ${job.job}`),
        'a build list',
      ) as {
        builds?: BuildJson[]
      }
      const queue = parseJson(
        session.target,
        await session.get(
          'queue/api/json?tree=items[id,task[url],actions[parameters[name,value]]]',
          'reading the queue',
          // The job was found a moment ago: a missing queue API is the server's (or a proxy's), not the job's.
          { notFound: 'its queue API is not there; check the endpoint URL and any proxy in front of Jenkins' },
        ),
        'the queue',
      ) as {
        items?: QueueItemJson[]
      }
      const mine = `/${jobPath(job.job)}`
      const queued = (queue.items ?? [])
        .filter(
          (item) =>
            item.task?.url !== undefined &&
            new URL(item.task.url, session.base).pathname.endsWith(mine) &&
            forEnvironment(item.actions),
        )
        .map((item): ProviderRunRef => ({
          provider: 'jenkins',
          id: String(item.id),
          queueId: String(item.id),
          url: jobUrl(job.job),
        }))
      const building = (out.builds ?? [])
        .filter((b) => b.building === true && typeof b.number === 'number' && forEnvironment(b.actions))
        .map((b) => buildRef(job.job, b.number ?? 0, b.queueId !== undefined ? String(b.queueId) : undefined))
      return [...queued, ...building]
    },
  }
}

function jenkinsJob(job: ProviderDeployRequest['job'], label: string) {
  if (job.provider !== 'jenkins') throw new AppError('invalid-input', `${label} cannot run a ${job.provider} job.`)
  return job
}

/** Reads a progressive-text answer (B.8): only whole lines are handed out; the cursor is a byte offset. */
function progressiveChunk(text: string, headers: Headers, start: string, label: string): ProviderLogChunk {
  const size = Number(headers.get('x-text-size'))
  if (!Number.isFinite(size)) throw new AppError('bad-response', `${label} answered a log without X-Text-Size.`)
  // X-More-Data is absent (not "false") once the build is finished.
  const complete = headers.get('x-more-data') !== 'true'
  const from = Number(start)
  // A start past the end makes Jenkins serve the log again from 0.
  const origin = size < from ? 0 : from
  const cut = complete ? text.length : text.lastIndexOf('\n') + 1
  const taken = text.slice(0, cut)
  const lines =
    taken === ''
      ? []
      : taken
          .replace(/\n$/, '')
          .split('\n')
          .map((line) => line.replace(/\r$/, '').replace(CONSOLE_NOTE, ''))
  return { lines, cursor: String(origin + Buffer.byteLength(taken, 'utf8')), complete }
}
