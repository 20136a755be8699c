import { api } from './api'
import { errorOf } from './format'
import { previewVerdict } from './preview-verdict'

/** Where a commit dragged in the graph can be dropped: an environment (a pin or its chip) or a branch's label. */
export type DropTarget = { kind: 'pin'; environment: string } | { kind: 'ref'; branch: string }

/** What dropping on a target would do, shown on the target before the drop. */
export interface DropVerdict {
  verdict: 'loading' | 'forward' | 'rollback' | 'refused' | 'pick'
  label: string
  why?: string
}

/** Whether a verdict lets the drop happen. */
export function accepts(verdict: DropVerdict | undefined): boolean {
  return verdict?.verdict === 'forward' || verdict?.verdict === 'rollback' || verdict?.verdict === 'pick'
}

function keyOf(target: DropTarget): string {
  return target.kind === 'pin' ? `pin:${target.environment}` : `ref:${target.branch}`
}

/**
 * Dragging a commit of the graph onto an environment or a hotfix branch. An environment answers with the promote
 * preview's verdict (forward, rollback or refused, asked once per drag), a hotfix branch with "cherry-pick onto it".
 */
export class GraphDrop {
  dragging = $state.raw<{ service: string; sha: string } | null>(null)
  over = $state.raw<DropTarget | null>(null)
  private verdicts = $state<Record<string, DropVerdict>>({})
  /** Hotfix branch name → its region, from the workspace's trains (replaced whole, never changed in place). */
  hotfixBranches: Readonly<Record<string, string>> = {}

  start(service: string, sha: string): void {
    this.dragging = { service, sha }
    this.verdicts = {}
  }

  end(): void {
    this.dragging = null
    this.over = null
  }

  /** The verdict known for a target in the current drag (never asks: safe to read while rendering). */
  peek(target: DropTarget): DropVerdict | undefined {
    return this.dragging ? this.verdicts[keyOf(target)] : undefined
  }

  /** The verdict for a target during the current drag, asking the core the first time (from event handlers). */
  ask(target: DropTarget): DropVerdict | undefined {
    const drag = this.dragging
    if (!drag) return undefined
    const key = keyOf(target)
    const known = this.verdicts[key]
    if (known) return known
    if (target.kind === 'ref') {
      const region = this.hotfixBranches[target.branch]
      const verdict: DropVerdict = region
        ? { verdict: 'pick', label: `Cherry-pick onto ${target.branch}` }
        : {
            verdict: 'refused',
            label: 'Refused',
            why: `${target.branch} is not a region's hotfix branch: fixes are picked onto those.`,
          }
      this.verdicts[key] = verdict
      return verdict
    }
    this.verdicts[key] = { verdict: 'loading', label: `${target.environment}…` }
    void api
      .invoke('deploys.preview', { service: drag.service, environment: target.environment, target: drag.sha })
      .then((preview) => {
        const v = previewVerdict(preview)
        this.verdicts[key] = {
          verdict: v.verdict,
          label: v.verdict === 'refused' ? `Refused in ${target.environment}` : `${v.label} to ${target.environment}`,
          ...(v.why !== undefined ? { why: v.why } : {}),
        }
      })
      .catch((error: unknown) => {
        this.verdicts[key] = { verdict: 'refused', label: 'Refused', why: errorOf(error).message }
      })
    return this.verdicts[key]
  }
}

/** The graph's single drag state. */
export const graphDrop = new GraphDrop()
