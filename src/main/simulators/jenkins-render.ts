import { buildEnd, isBuilding, resultAt } from './jenkins-model'
import type { JenkinsBuild, JenkinsJobDef, JenkinsQueueItem } from './jenkins-model'

const WORKFLOW_JOB = 'org.jenkinsci.plugins.workflow.job.WorkflowJob'
const WORKFLOW_RUN = 'org.jenkinsci.plugins.workflow.job.WorkflowRun'

/** `job/a/job/b/` for `a/b`, each segment URL-encoded (B.1). */
export function jobUrlPath(job: JenkinsJobDef): string {
  return job.path
    .split('/')
    .map((segment) => `job/${encodeURIComponent(segment)}/`)
    .join('')
}

/** Absolute build URL. */
export function buildUrl(origin: string, build: JenkinsBuild): string {
  return `${origin}/${jobUrlPath(build.job)}${build.number}/`
}

function jobName(job: JenkinsJobDef): string {
  return job.path.split('/').pop() ?? job.path
}

function parametersAction(params: Record<string, string>) {
  return {
    _class: 'hudson.model.ParametersAction',
    parameters: Object.entries(params).map(([name, value]) => ({
      _class: 'hudson.model.StringParameterValue',
      name,
      value,
    })),
  }
}

function causeAction(user: string) {
  return {
    _class: 'hudson.model.CauseAction',
    causes: [
      {
        _class: 'hudson.model.Cause$UserIdCause',
        shortDescription: `Started by user ${user}`,
        userId: user,
        userName: user,
      },
    ],
  }
}

/** A build as `/job/…/N/api/json` renders it (B.7). */
export function renderBuild(origin: string, build: JenkinsBuild, now: number): Record<string, unknown> {
  const building = isBuilding(build, now)
  const actions: unknown[] = [parametersAction(build.params), causeAction(build.user), {}]
  const revision = build.job.builtRevisionParameter
  if (revision !== undefined && build.params[revision] !== undefined) {
    const sha = build.params[revision]
    actions.push({
      _class: 'hudson.plugins.git.util.BuildData',
      lastBuiltRevision: { SHA1: sha, branch: [{ SHA1: sha, name: 'refs/remotes/origin/main' }] },
      remoteUrls: [],
    })
  }
  return {
    _class: WORKFLOW_RUN,
    actions,
    artifacts: [],
    building,
    description: null,
    displayName: `#${build.number}`,
    duration: building ? 0 : buildEnd(build) - build.timestamp,
    estimatedDuration: build.job.durationMs ?? 200,
    executor: building ? { _class: 'hudson.model.OneOffExecutor' } : null,
    fullDisplayName: `${build.job.path.replace(/\//g, ' » ')} #${build.number}`,
    id: String(build.number),
    inProgress: building,
    keepLog: false,
    number: build.number,
    queueId: build.queueId,
    result: resultAt(build, now),
    timestamp: build.timestamp,
    url: buildUrl(origin, build),
    changeSets: [],
    culprits: [],
  }
}

function buildRef(origin: string, build: JenkinsBuild | undefined) {
  return build === undefined ? null : { _class: WORKFLOW_RUN, number: build.number, url: buildUrl(origin, build) }
}

/** The permalinks of a job (B.1, B.10), newest first from `builds`. */
export function permalinks(builds: JenkinsBuild[], now: number): Record<string, JenkinsBuild | undefined> {
  const done = builds.filter((b) => !isBuilding(b, now))
  const withResult = (ok: (r: string) => boolean) => done.find((b) => ok(resultAt(b, now) ?? ''))
  return {
    firstBuild: builds[builds.length - 1],
    lastBuild: builds[0],
    lastCompletedBuild: done[0],
    lastFailedBuild: withResult((r) => r === 'FAILURE'),
    // lastSuccessfulBuild includes UNSTABLE (hudson/model/Job.java); lastStableBuild is SUCCESS only.
    lastStableBuild: withResult((r) => r === 'SUCCESS'),
    lastSuccessfulBuild: withResult((r) => r === 'SUCCESS' || r === 'UNSTABLE'),
    lastUnstableBuild: withResult((r) => r === 'UNSTABLE'),
    lastUnsuccessfulBuild: withResult((r) => r !== 'SUCCESS'),
  }
}

function color(builds: JenkinsBuild[], job: JenkinsJobDef, now: number): string {
  if (job.disabled === true) return 'disabled'
  const last = builds.find((b) => !isBuilding(b, now))
  const base =
    last === undefined
      ? 'notbuilt'
      : ({ SUCCESS: 'blue', UNSTABLE: 'yellow', FAILURE: 'red', ABORTED: 'aborted', NOT_BUILT: 'notbuilt' } as const)[
          resultAt(last, now) ?? 'NOT_BUILT'
        ]
  return builds.some((b) => isBuilding(b, now)) ? `${base}_anime` : base
}

/**
 * A job as `/job/…/api/json` renders it (B.10). `builds` newest first. With `deep` (a `tree` was given),
 * nested builds are full objects for the tree to select from; otherwise depth-0 references.
 */
export function renderJob(
  origin: string,
  job: JenkinsJobDef,
  builds: JenkinsBuild[],
  waiting: JenkinsQueueItem | undefined,
  now: number,
  deep: boolean,
): Record<string, unknown> {
  const ref = (b: JenkinsBuild | undefined) =>
    b === undefined ? null : deep ? renderBuild(origin, b, now) : buildRef(origin, b)
  const links = Object.fromEntries(Object.entries(permalinks(builds, now)).map(([k, b]) => [k, ref(b)]))
  const params = job.parameters ?? []
  const out: Record<string, unknown> = {
    _class: WORKFLOW_JOB,
    actions: [{}],
    description: null,
    displayName: jobName(job),
    fullDisplayName: job.path.replace(/\//g, ' » '),
    fullName: job.path,
    name: jobName(job),
    url: `${origin}/${jobUrlPath(job)}`,
    buildable: job.disabled !== true,
    builds: builds.slice(0, 100).map(ref),
    color: color(builds, job, now),
    ...links,
    healthReport: [],
    inQueue: waiting !== undefined,
    keepDependencies: false,
    nextBuildNumber: (builds[0]?.number ?? 0) + 1,
    property:
      params.length === 0
        ? []
        : [
            {
              _class: 'hudson.model.ParametersDefinitionProperty',
              parameterDefinitions: params.map((p) => ({
                _class:
                  p.choices === undefined
                    ? 'hudson.model.StringParameterDefinition'
                    : 'hudson.model.ChoiceParameterDefinition',
                name: p.name,
                type: p.choices === undefined ? 'StringParameterDefinition' : 'ChoiceParameterDefinition',
                description: p.description ?? '',
                defaultParameterValue: {
                  _class: 'hudson.model.StringParameterValue',
                  name: p.name,
                  value: p.default ?? p.choices?.[0] ?? '',
                },
                ...(p.choices !== undefined ? { choices: p.choices } : {}),
              })),
            },
          ],
    queueItem: waiting === undefined ? null : { _class: 'hudson.model.Queue$WaitingItem', id: waiting.id },
    concurrentBuild: job.concurrent === true,
  }
  // allBuilds exists only when a tree asks for it.
  if (deep) out.allBuilds = builds.map(ref)
  return out
}

/** Why an item is still in the queue (Messages.properties wording). */
export function whyWaiting(
  item: JenkinsQueueItem,
  blockedBy: JenkinsBuild | undefined,
  now: number,
): { cls: string; why: string } {
  if (now < item.readyAt && item.readyAt !== Infinity) {
    return {
      cls: 'hudson.model.Queue$WaitingItem',
      why: `In the quiet period. Expires in ${((item.readyAt - now) / 1000).toFixed(1)} sec`,
    }
  }
  if (blockedBy !== undefined) {
    return {
      cls: 'hudson.model.Queue$BlockedItem',
      why: `Build #${blockedBy.number} is already in progress (ETA: 1 sec)`,
    }
  }
  return { cls: 'hudson.model.Queue$BuildableItem', why: 'Waiting for next available executor' }
}

/** A queue item as `/queue/item/N/api/json` renders it (B.6). */
export function renderQueueItem(
  origin: string,
  item: JenkinsQueueItem,
  blockedBy: JenkinsBuild | undefined,
  now: number,
): Record<string, unknown> {
  const left = item.leftAt !== undefined && item.leftAt <= now
  const waiting = left ? undefined : whyWaiting(item, blockedBy, now)
  const out: Record<string, unknown> = {
    _class: waiting?.cls ?? 'hudson.model.Queue$LeftItem',
    actions: [parametersAction(item.params), causeAction(item.user)],
    blocked: waiting?.cls === 'hudson.model.Queue$BlockedItem',
    buildable: waiting?.cls === 'hudson.model.Queue$BuildableItem',
    id: item.id,
    inQueueSince: item.inQueueSince,
    params: Object.entries(item.params)
      .map(([k, v]) => `\n${k}=${v}`)
      .join(''),
    stuck: false,
    task: {
      _class: WORKFLOW_JOB,
      name: jobName(item.job),
      url: `${origin}/${jobUrlPath(item.job)}`,
      color: 'blue_anime',
    },
    url: `queue/item/${item.id}/`,
    why: waiting?.why ?? null,
  }
  if (waiting === undefined) {
    out.cancelled = item.cancelled === true
    out.executable = item.build === undefined ? null : buildRef(origin, item.build)
  } else if (waiting.cls === 'hudson.model.Queue$WaitingItem') {
    out.timestamp = item.readyAt
  } else {
    out.buildableStartMilliseconds = item.readyAt === Infinity ? item.inQueueSince : item.readyAt
    if (waiting.cls === 'hudson.model.Queue$BuildableItem') out.pending = false
  }
  return out
}
