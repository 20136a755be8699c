import { AppError } from '../../../src/shared/errors'
import type {
  DeployProvider,
  ProviderDeployRequest,
  ProviderLogChunk,
  ProviderRunRef,
  ProviderRunState,
  ProviderRunStatus,
} from '../../../src/main/core/deploy/provider'

/**
 * A DeployProvider fake at the port, for fast unit tests: each trigger starts a run that walks
 * through `script` one status read at a time and logs `lines` two per read. The integration tests
 * use the real providers against the simulators.
 */
export class FakeProvider implements DeployProvider {
  readonly triggers: ProviderDeployRequest[] = []
  readonly aborts: string[] = []
  script: ProviderRunState[] = ['queued', 'running', 'running', 'succeeded']
  lines: string[] = ['one', 'two', 'three', 'four', 'five']
  /** Error the next trigger throws. */
  triggerError: Error | undefined
  /** How many status reads fail before they work again. */
  statusFailures = 0
  /** The provider has forgotten every run: status reads answer not-found. */
  forgotten = false
  runningRefs: ProviderRunRef[] = []
  private readonly reads = new Map<string, number>()
  private readonly aborted = new Set<string>()

  trigger(request: ProviderDeployRequest): Promise<ProviderRunRef> {
    this.triggers.push(request)
    const error = this.triggerError
    this.triggerError = undefined
    if (error) return Promise.reject(error)
    return Promise.resolve({
      provider: 'rundeck',
      id: String(this.triggers.length),
      url: `http://rundeck.test/execution/${this.triggers.length}`,
    })
  }

  status(ref: ProviderRunRef): Promise<ProviderRunStatus> {
    if (this.forgotten) return Promise.reject(new AppError('not-found', `Execution ID does not exist: ${ref.id}`))
    if (this.statusFailures > 0) {
      this.statusFailures -= 1
      return Promise.reject(new AppError('endpoint-unreachable', 'rundeck.test did not answer'))
    }
    const read = (this.reads.get(ref.id) ?? 0) + 1
    this.reads.set(ref.id, read)
    const state: ProviderRunState = this.aborted.has(ref.id)
      ? 'aborted'
      : (this.script[Math.min(read, this.script.length) - 1] ?? 'running')
    const final = state !== 'queued' && state !== 'running'
    const status: ProviderRunStatus = { ref, state, detail: state, final, startedAt: '2024-05-01T10:00:00.000Z' }
    if (final) status.endedAt = '2024-05-01T10:01:30.000Z'
    return Promise.resolve(status)
  }

  log(ref: ProviderRunRef, cursor: string | undefined): Promise<ProviderLogChunk> {
    const from = cursor === undefined ? 0 : Number(cursor)
    const reads = this.reads.get(ref.id) ?? 0
    const final = this.aborted.has(ref.id) || reads >= this.script.length
    const until = final ? this.lines.length : Math.min(this.lines.length, reads * 2)
    return Promise.resolve({
      lines: this.lines.slice(from, until),
      cursor: String(until),
      complete: final && until >= this.lines.length,
    })
  }

  abort(ref: ProviderRunRef): Promise<void> {
    this.aborts.push(ref.id)
    this.aborted.add(ref.id)
    return Promise.resolve()
  }

  running(): Promise<ProviderRunRef[]> {
    return Promise.resolve(this.runningRefs)
  }
}
