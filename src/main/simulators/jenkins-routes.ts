import { createHash } from 'node:crypto'
import { json } from './http-server'
import type { SimRequest, SimResponse } from './http-server'
import { consoleAt, isBuilding, resolveParameters } from './jenkins-model'
import type { JenkinsBuild, JenkinsJobDef } from './jenkins-model'
import { buildUrl, permalinks, renderBuild, renderJob, renderQueueItem } from './jenkins-render'
import { advance, buildsOf, isGone } from './jenkins-state'
import type { JenkinsState, JenkinsUser } from './jenkins-state'
import { applyTree, parseTree } from './jenkins-tree'

const HEADERS = { 'x-jenkins': '2.578', 'x-jenkins-session': '5e55104d' }

function html(status: number, message: string, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'content-type': 'text/html;charset=utf-8', ...headers },
    body: `<html><head><title>Error ${status}</title></head><body><h2>HTTP ERROR ${status} ${escape(message)}</h2><p>${escape(message)}</p></body></html>`,
  }
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** The crumb a user's requests must carry (session-independent, as with EXCLUDE_SESSION_ID). */
function crumbFor(user: JenkinsUser): string {
  return createHash('sha256').update(`trainyard-sim:${user.name}`).digest('hex')
}

function authenticate(state: JenkinsState, req: SimRequest): { user: JenkinsUser; viaToken: boolean } | SimResponse {
  const header = String(req.headers.authorization ?? '')
  const m = /^Basic\s+(\S+)$/i.exec(header)
  if (m === null) {
    return html(403, 'Authentication required', {
      'x-you-are-authenticated-as': 'anonymous',
      'x-required-permission': 'hudson.model.Hudson.Read',
      'x-permission-implied-by': 'hudson.security.Permission.GenericRead',
    })
  }
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const name = colon < 0 ? decoded : decoded.slice(0, colon)
  const secret = colon < 0 ? '' : decoded.slice(colon + 1)
  const user = state.users.find((u) => u.name === name)
  if (user === undefined || (secret !== user.token && (user.password === undefined || secret !== user.password))) {
    return html(401, `Invalid password/token for user: ${name}`, { 'www-authenticate': 'Basic realm="Jenkins"' })
  }
  return { user, viaToken: secret === user.token }
}

/** Routes one request to the Jenkins remote API (B.1–B.11). */
export function routeJenkins(state: JenkinsState, req: SimRequest): SimResponse {
  const response = route(state, req)
  return { ...response, headers: { ...HEADERS, ...response.headers } }
}

function route(state: JenkinsState, req: SimRequest): SimResponse {
  const now = state.clock()
  advance(state, now)
  const auth = authenticate(state, req)
  if ('status' in auth) return auth
  if (state.faults.take('forbidden', req.method, req.path) !== undefined) {
    return html(403, `${auth.user.name} is missing the Job/Build permission`, {
      'x-you-are-authenticated-as': auth.user.name,
      'x-required-permission': 'hudson.model.Item.Build',
    })
  }
  const parts = req.path.split('/').filter((p) => p !== '')
  if (req.path === '/crumbIssuer/api/json' && req.method === 'GET') {
    if (state.crumb === 'off') return html(404, 'Not Found')
    return json(200, {
      _class: 'hudson.security.csrf.DefaultCrumbIssuer',
      crumb: crumbFor(auth.user),
      crumbRequestField: 'Jenkins-Crumb',
    })
  }
  if (req.method === 'POST' && (state.crumb === 'always' || (state.crumb === 'on' && !auth.viaToken))) {
    const form = new URLSearchParams(req.body)
    const crumb = String(
      req.headers['jenkins-crumb'] ?? form.get('Jenkins-Crumb') ?? req.query.get('Jenkins-Crumb') ?? '',
    )
    if (crumb !== crumbFor(auth.user)) return html(403, 'No valid crumb was included in the request')
  }
  if (parts[0] === 'queue') return routeQueue(state, req, parts.slice(1), now)
  if (parts[0] === 'api' && parts[1] === 'json')
    return tree(req, { _class: 'hudson.model.Hudson', jobs: children(state, req.origin, '') })
  const names: string[] = []
  let i = 0
  while (parts[i] === 'job' && parts[i + 1] !== undefined) {
    names.push(decodeURIComponent(parts[i + 1] ?? ''))
    i += 2
  }
  const path = names.join('/')
  const job = state.jobs.get(path)
  const rest = parts.slice(i)
  if (job === undefined) {
    const items = children(state, req.origin, path)
    if (names.length > 0 && items.length > 0 && rest.join('/') === 'api/json') {
      return tree(req, {
        _class: 'com.cloudbees.hudson.plugins.folder.Folder',
        name: names[names.length - 1],
        fullName: path,
        jobs: items,
      })
    }
    return html(404, 'Not Found')
  }
  return routeJob(state, req, job, rest, auth.user.name, now)
}

function children(state: JenkinsState, origin: string, folder: string) {
  const prefix = folder === '' ? '' : `${folder}/`
  const names = new Set<string>()
  for (const path of state.jobs.keys())
    if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split('/')[0] ?? '')
  return [...names].map((name) => {
    const full = `${prefix}${name}`
    const isJob = state.jobs.has(full)
    const url = `${origin}/${full
      .split('/')
      .map((s) => `job/${encodeURIComponent(s)}/`)
      .join('')}`
    return {
      _class: isJob ? 'org.jenkinsci.plugins.workflow.job.WorkflowJob' : 'com.cloudbees.hudson.plugins.folder.Folder',
      name,
      url,
    }
  })
}

function tree(req: SimRequest, value: Record<string, unknown>): SimResponse {
  const spec = req.query.get('tree')
  return json(200, spec === null ? value : applyTree(value, parseTree(spec)))
}

function routeQueue(state: JenkinsState, req: SimRequest, rest: string[], now: number): SimResponse {
  if (rest[0] === 'item' && rest[1] !== undefined && rest[2] === 'api' && rest[3] === 'json' && req.method === 'GET') {
    const item = state.queue.find((q) => String(q.id) === rest[1])
    if (item === undefined || isGone(state, item, now)) return html(404, 'Not Found')
    return tree(req, renderQueueItem(req.origin, item, blocker(state, item.job, now), now))
  }
  if (rest[0] === 'cancelItem') {
    if (req.method !== 'POST') return html(405, 'HTTP method GET is not supported by this URL')
    const id = req.query.get('id') ?? new URLSearchParams(req.body).get('id')
    const item = state.queue.find((q) => String(q.id) === id)
    if (item === undefined || item.leftAt !== undefined) return html(404, `Provided id (${id ?? ''}) not found`)
    item.cancelled = true
    item.leftAt = now
    return { status: 204 }
  }
  if (rest[0] === 'api' && rest[1] === 'json') {
    const items = state.queue
      .filter((q) => q.leftAt === undefined)
      .map((q) => renderQueueItem(req.origin, q, blocker(state, q.job, now), now))
    return tree(req, { _class: 'hudson.model.Queue', discoverableItems: [], items })
  }
  return html(404, 'Not Found')
}

function blocker(state: JenkinsState, job: JenkinsJobDef, now: number): JenkinsBuild | undefined {
  if (job.concurrent === true) return undefined
  return buildsOf(state, job).find((b) => isBuilding(b, now))
}

function routeJob(
  state: JenkinsState,
  req: SimRequest,
  job: JenkinsJobDef,
  rest: string[],
  user: string,
  now: number,
): SimResponse {
  const [first, second, third] = rest
  if (first === undefined || (first === 'api' && second === 'json')) {
    const waiting = state.queue.filter((q) => q.job === job && q.leftAt === undefined).pop()
    return tree(req, renderJob(req.origin, job, buildsOf(state, job), waiting, now, req.query.has('tree')))
  }
  if (first === 'buildWithParameters' || first === 'build') {
    if (req.method !== 'POST') return html(405, 'This URL requires POST')
    return trigger(state, req, job, first, user, now)
  }
  const build = findBuild(state, job, first, now)
  if (build === undefined) return html(404, 'Not Found')
  if (second === 'api' && third === 'json' && req.method === 'GET')
    return tree(req, renderBuild(req.origin, build, now))
  if (second === 'logText' && third === 'progressiveText' && req.method === 'GET') return progressive(req, build, now)
  if (second === 'consoleText' && req.method === 'GET') {
    return { status: 200, headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: consoleAt(build, now) }
  }
  if (second === 'stop') {
    if (req.method !== 'POST') return html(405, 'This URL requires POST')
    if (isBuilding(build, now)) build.abortedAt = now
    // Jenkins answers a redirect back to the build page, even when the build had already finished.
    return { status: 302, headers: { location: buildUrl(req.origin, build) } }
  }
  return html(404, 'Not Found')
}

function findBuild(state: JenkinsState, job: JenkinsJobDef, key: string, now: number): JenkinsBuild | undefined {
  const builds = buildsOf(state, job)
  if (/^\d+$/.test(key)) return builds.find((b) => b.number === Number(key))
  return permalinks(builds, now)[key]
}

function progressive(req: SimRequest, build: JenkinsBuild, now: number): SimResponse {
  const text = Buffer.from(consoleAt(build, now), 'utf8')
  const raw = Number(req.query.get('start') ?? '0')
  // A start past the end means the text rolled over: serve from the beginning.
  const start = Number.isFinite(raw) && raw >= 0 && raw <= text.length ? raw : 0
  const headers: Record<string, string> = {
    'content-type': 'text/plain;charset=UTF-8',
    'x-text-size': String(text.length),
  }
  if (isBuilding(build, now)) headers['x-more-data'] = 'true'
  return { status: 200, headers, body: text.subarray(start).toString('utf8') }
}

function trigger(
  state: JenkinsState,
  req: SimRequest,
  job: JenkinsJobDef,
  action: string,
  user: string,
  now: number,
): SimResponse {
  if (job.disabled === true || state.faults.take('conflict', req.method, req.path) !== undefined) {
    return html(409, `${job.path} is not buildable`)
  }
  const defined = job.parameters ?? []
  if (action === 'buildWithParameters' && defined.length === 0) return html(400, `${job.path} is not parameterized`)
  const given = new URLSearchParams(req.query)
  const type = String(req.headers['content-type'] ?? '')
  if (type.includes('application/x-www-form-urlencoded'))
    for (const [k, v] of new URLSearchParams(req.body)) given.set(k, v)
  const params = resolveParameters(job, given)
  const waiting = state.queue.filter((q) => q.job === job && q.leftAt === undefined)
  const forced = state.queue.filter((q) => q.job === job).pop()
  if (forced !== undefined && state.faults.take('seeOther', req.method, req.path) !== undefined) {
    return { status: 303, headers: { location: `${req.origin}/queue/item/${forced.id}/` } }
  }
  const same = waiting.find((q) => JSON.stringify(q.params) === JSON.stringify(params))
  if (same !== undefined) return { status: 303, headers: { location: `${req.origin}/queue/item/${same.id}/` } }
  const shape = state.faults.runShape()
  const id = state.nextQueueId()
  state.queue.push({
    id,
    job,
    params,
    user,
    inQueueSince: now,
    readyAt: shape.stuckQueue ? Infinity : now + (job.quietMs ?? 0),
    shape,
  })
  state.triggers.push({ job: job.path, queueId: id, params, at: now })
  return { status: 201, headers: { location: `${req.origin}/queue/item/${id}/` } }
}
