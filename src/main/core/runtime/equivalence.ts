import type { EquivalentFinder } from '../environments/where'
import { trailerTwin } from '../environments/where'
import type { WorkspaceRuntime } from './workspace-runtime'

/** Finds the same change in a deployed history: the cherry-pick trailer first. */
export function equivalentFinder(_runtime: WorkspaceRuntime): EquivalentFinder {
  return (_service, index, sha, deployed) => {
    const twin = trailerTwin(index, sha, deployed)
    return Promise.resolve(twin ? { sha: twin, via: 'trailer' as const } : undefined)
  }
}
