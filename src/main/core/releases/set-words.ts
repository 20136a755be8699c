import type { DeployRun } from '../../../shared/models/deploys'
import type { ReleaseSet, SetStep, SetStepPreview } from '../../../shared/models/release-sets'

/** A new set's step from its preview: shipping steps wait, the others are skipped or refused with the reason. */
export function stepOfPreview(preview: SetStepPreview): SetStep {
  const step: SetStep = {
    service: preview.service,
    environment: preview.environment,
    wave: preview.wave,
    state: preview.verdict === 'ships' ? 'waiting' : preview.verdict === 'already-there' ? 'skipped' : 'refused',
  }
  if (preview.sha !== undefined) step.sha = preview.sha
  if (preview.rollbackReason !== undefined) step.rollbackReason = preview.rollbackReason
  if (preview.verdict === 'already-there') step.reason = `already runs ${preview.sha?.slice(0, 7) ?? 'it'}`
  if (preview.verdict === 'refused') step.reason = preview.blockers.map((b) => b.message).join(' ')
  return step
}

/** Why a step's run did not succeed, in words. */
export function runReason(run: DeployRun): string | undefined {
  if (run.state === 'succeeded') return undefined
  const why = run.error?.message ?? run.detail
  return `run ${run.id} ${run.state}${why ? `: ${why}` : ''}`
}

/** Names of the steps in one of the given states. */
function named(set: ReleaseSet, ...states: SetStep['state'][]): string {
  const names = set.steps.filter((s) => states.includes(s.state)).map((s) => s.service)
  return names.length === 0 ? 'none' : names.join(', ')
}

/** How a set ended, in words: what deployed, what was skipped and why, what did not start. */
export function endSummary(set: ReleaseSet, state: ReleaseSet['state'], stoppedBy?: SetStep): string {
  const deployed = `Deployed: ${named(set, 'succeeded')}.`
  const refused = set.steps.filter((s) => s.state === 'refused')
  const skipped =
    refused.length === 0 ? '' : ` Skipped: ${refused.map((s) => `${s.service} (${s.reason ?? 'refused'})`).join('; ')}.`
  switch (state) {
    case 'succeeded':
      return `${deployed} Already there: ${named(set, 'skipped')}.`
    case 'partly':
      return `${deployed}${skipped}`
    case 'failed':
      return `${stoppedBy ? `${stoppedBy.service}: ${stoppedBy.reason ?? stoppedBy.state}. ` : ''}${deployed} Not started: ${named(set, 'not-started')}.${skipped}`
    case 'aborted':
      return `Aborted by ${set.abortRequested?.by ?? 'someone'}. ${deployed} Not started: ${named(set, 'not-started')}.`
    case 'held':
      return (
        `${stoppedBy?.service ?? 'A step'}'s run ${stoppedBy?.runId ?? ''} is unknown: check the provider, settle it ` +
        `(trainyard settle ${stoppedBy?.runId ?? '<run>'} --state succeeded|failed --note "…"), then resume the set ` +
        `(trainyard sets resume ${set.id}). ${deployed}`
      )
    case 'running':
      return deployed
    default: {
      const never: never = state
      return never
    }
  }
}
