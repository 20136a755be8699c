import type { PromotePreview } from '../../../shared/models/deploys'

/** How a promote preview reads at a glance: the word, its tone, and why when it is refused. */
export interface PreviewVerdict {
  /** forward (forward, first deploy, redeploy), rollback, or refused (a blocker the promote cannot pass). */
  verdict: 'forward' | 'rollback' | 'refused'
  label: string
  tone: 'ok' | 'bad' | 'warn' | ''
  why?: string
}

const labels: Record<PromotePreview['kind'], string> = {
  forward: 'Forward',
  rollback: 'Rollback',
  redeploy: 'Redeploy',
  'first-deploy': 'First deploy',
}

/**
 * The verdict of a preview. A rollback's own "not a descendant" is what an explicit rollback answers, so it does not
 * refuse; nor does a lock the person chose to override with a reason, nor an unknown current SHA once the person
 * chose a first deploy; any other blocker (a run in progress, a missing previous success, a SHA not pushed…) refuses.
 */
export function previewVerdict(
  preview: PromotePreview,
  chosen: { lockOverride?: boolean; firstDeploy?: boolean } = {},
): PreviewVerdict {
  const refusing = preview.blockers.filter(
    (b) =>
      !(preview.kind === 'rollback' && b.code === 'not-a-descendant') &&
      !(b.code === 'locked' && chosen.lockOverride === true) &&
      !(b.code === 'current-unknown' && chosen.firstDeploy === true),
  )
  const first = refusing[0]
  if (first !== undefined) return { verdict: 'refused', label: 'Refused', tone: 'bad', why: first.message }
  if (preview.kind === 'rollback') return { verdict: 'rollback', label: labels.rollback, tone: 'warn' }
  return { verdict: 'forward', label: labels[preview.kind], tone: preview.kind === 'redeploy' ? '' : 'ok' }
}
