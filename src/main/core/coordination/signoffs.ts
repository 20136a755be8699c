import type { Signoff } from '../../../shared/models/coordination'
import type { Sha, Workspace } from '../../../shared/models/workspace'
import type { AncestryPort } from '../deploy/guard'

/** A promote as the sign-off rule sees it. */
export interface SignoffQuestion {
  service: string
  environment: string
  sha: Sha
  /** What the environment runs now, if known. */
  currentSha?: Sha
  /** The commits the promote ships (current..sha), for the preview. */
  ships: Sha[]
}

/** What the sign-off rule found: which environments' sign-offs are required and missing, and the ones that exist. */
export interface SignoffVerdict {
  required: string[]
  missing: string[]
  /** Sign-offs on the SHA and on the commits it ships. */
  signoffs: Signoff[]
}

/**
 * The `requireSignoff` rule: for each required environment, a sign-off there on the SHA itself, or on a commit the
 * SHA ships (an ancestor the target does not run yet). A sign-off carries forward with its SHA through every later
 * environment. A move that ships nothing new (a redeploy, or back to an ancestor of what runs) needs none.
 */
export async function checkSignoffs(
  history: Pick<AncestryPort, 'isAncestor'>,
  workspace: Workspace,
  signoffs: Signoff[],
  question: SignoffQuestion,
): Promise<SignoffVerdict> {
  const { service, sha, currentSha } = question
  // A sign-off on a commit this clone has not fetched yet cannot vouch for anything here.
  const isAncestor = async (a: Sha, d: Sha): Promise<boolean> => {
    try {
      return await history.isAncestor(service, a, d)
    } catch {
      return false
    }
  }
  const mine = signoffs.filter((s) => s.service === service)
  const shown = new Set([sha, ...question.ships])
  const verdict: SignoffVerdict = {
    required: workspace.environments.find((e) => e.name === question.environment)?.requireSignoff ?? [],
    missing: [],
    signoffs: mine.filter((s) => shown.has(s.sha)),
  }
  if (verdict.required.length === 0) return verdict
  if (currentSha !== undefined && (await isAncestor(sha, currentSha))) return verdict
  for (const environment of verdict.required) {
    let found = false
    for (const signoff of mine.filter((s) => s.environment === environment)) {
      if (signoff.sha === sha) found = true
      else if (await isAncestor(signoff.sha, sha)) {
        // Signed and shipped now: the target does not run it yet.
        found = currentSha === undefined || !(await isAncestor(signoff.sha, currentSha))
      }
      if (found) break
    }
    if (!found) verdict.missing.push(environment)
  }
  return verdict
}
