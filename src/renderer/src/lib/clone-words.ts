import type { RepoProgress, RepoStatus } from '../../../shared/api/views'

/**
 * What a matrix cell says while its service has no usable clone yet: "queued", "cloning… 42 %" (from the last
 * `repos.progressed` event), "clone failed"; undefined once the clone is ready (or is only being fetched).
 */
export function cloneWords(status: RepoStatus | undefined, progress: RepoProgress | undefined): string | undefined {
  if (status === undefined) return undefined
  switch (status.state) {
    case 'ready':
    case 'fetching':
      return undefined
    case 'missing':
      return 'no clone yet'
    case 'queued':
      return 'queued'
    case 'failed':
      return 'clone failed'
    case 'cloning': {
      if (progress === undefined || progress.operation !== 'clone') return 'cloning…'
      if (progress.total === undefined || progress.total <= 0) return `cloning… ${progress.phase.toLowerCase()}`
      const percent = Math.min(100, Math.floor((progress.loaded / progress.total) * 100))
      return `cloning… ${percent} %`
    }
    default: {
      const never: never = status.state
      return never
    }
  }
}
