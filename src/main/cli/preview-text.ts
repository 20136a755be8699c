import type { CommitSummary } from '../../shared/models/commits'
import { fallbackWords, type PromotePreview } from '../../shared/models/deploys'
import type { SetPreview, SetStepPreview } from '../../shared/models/release-sets'
import { age, short } from './format'
import { oneLine } from './terminal-text'

/** How many lines a list shows before "… and N more" (unless `--all`). */
export const LIST_LINES = 20

/** The first `LIST_LINES` of a list (all with `all`) and, when cut, a line saying how many more there are. */
export function capped<T>(items: readonly T[], all: boolean, line: (item: T) => string, indent = '  '): string[] {
  const shown = all ? items : items.slice(0, LIST_LINES)
  const more = items.length - shown.length
  return [
    ...shown.map(line),
    ...(more > 0 ? [`${indent}… and ${more} more (--all prints every one; --json has them all)`] : []),
  ]
}

function commitText(c: CommitSummary): string {
  const pick = c.cherryPickOf ? ` [cherry-pick of ${short(c.cherryPickOf.sha)}]` : ''
  return `${short(c.sha)} ${c.author.name}: ${c.pr ? `#${c.pr} ` : ''}${oneLine(c.subject)}${pick}`
}

/** A single promote's preview: what ships (+), what it removes (-), who deployed last, and every refusal. */
export function promotePreviewLines(preview: PromotePreview, all: boolean): string[] {
  const lines = [
    `${preview.service} → ${preview.environment}: ${short(preview.currentSha)} → ${short(preview.sha)} (${preview.kind})`,
  ]
  const fallback = fallbackWords(preview.currentSource)
  if (fallback) lines.push(`  ${preview.environment}'s probe gave no answer: going by ${fallback}`)
  if (preview.commits.length > 0) lines.push(`  ships ${preview.commits.length} commit(s):`)
  lines.push(...capped(preview.commits, all, (c) => `  + ${commitText(c)}`))
  if (preview.removes.length > 0) lines.push(`  a rollback would remove ${preview.removes.length} commit(s):`)
  lines.push(...capped(preview.removes, all, (c) => `  - ${commitText(c)}`))
  if (preview.lastDeploy) lines.push(`  last deployed by ${preview.lastDeploy.by}, ${age(preview.lastDeploy.at)}`)
  const team = preview.coordination
  for (const s of team?.signoffs ?? [])
    lines.push(`  verified in ${s.environment} by ${s.by.name}: ${short(s.sha)}${s.note ? ` (${s.note})` : ''}`)
  for (const lock of team?.locks ?? []) lines.push(`  locked by ${lock.by.name}: ${lock.reason} [${lock.id}]`)
  if (team?.note) lines.push(`  ${team.note}`)
  for (const b of preview.blockers) lines.push(`  refused (${b.code}): ${oneLine(b.message, 400)}`)
  return lines
}

function stepText(step: SetStepPreview): string {
  switch (step.verdict) {
    case 'ships': {
      const n = step.preview?.commits.length ?? 0
      return step.preview?.kind === 'first-deploy' ? 'first deploy' : `ships ${n} commit${n === 1 ? '' : 's'}`
    }
    case 'already-there':
      return 'already there: skipped'
    case 'refused':
      return `refused: ${step.blockers.map((b) => oneLine(b.message, 400)).join(' ')}`
    default: {
      const never: never = step.verdict
      return never
    }
  }
}

/** A set's preview: each service in deploy order with its verdict, then every commit grouped by author. */
export function setPreviewLines(preview: SetPreview, all: boolean): string[] {
  const what = preview.from ? `${preview.from} → ${preview.to}` : `to ${preview.to}`
  const at = preview.parallel === 1 ? 'one deploy at a time' : `up to ${preview.parallel} deploys at once`
  const lines = [
    `${what}: ${preview.steps.length} service(s), ${preview.commitCount} commit(s) by ${preview.authors.length} author(s); in dependency order, ${at}`,
  ]
  const width = Math.max(...preview.steps.map((s) => s.service.length))
  for (const step of preview.steps)
    lines.push(`  wave ${step.wave + 1}  ${step.service.padEnd(width)}  ${short(step.sha)}  ${stepText(step)}`)
  if (preview.authors.length > 0) lines.push('Commits by author:')
  for (const author of preview.authors) {
    lines.push(`  ${author.name} <${author.email}> (${author.commits.length})`)
    lines.push(...capped(author.commits, all, (c) => `    ${c.service} ${commitText(c)}`, '    '))
  }
  return lines
}
