import type { SetAuthor, SetCommit, SetStepPreview } from '../../../shared/models/release-sets'

/** Every commit the shipping steps carry, grouped by author (by email, case-insensitive), most commits first. */
export function authorsOf(steps: readonly SetStepPreview[]): SetAuthor[] {
  const byEmail = new Map<string, SetAuthor>()
  for (const step of steps) {
    if (step.verdict !== 'ships' || !step.preview) continue
    for (const commit of step.preview.commits) {
      const key = commit.author.email.toLowerCase() || commit.author.name
      const author = byEmail.get(key) ?? { name: commit.author.name, email: commit.author.email, commits: [] }
      author.commits.push({ ...commit, service: step.service })
      byEmail.set(key, author)
    }
  }
  return [...byEmail.values()].sort((a, b) => b.commits.length - a.commits.length || a.name.localeCompare(b.name))
}

/** One commit as a Markdown list item: service, short SHA, subject, PR and cherry-pick marks. */
export function commitLine(commit: SetCommit): string {
  const pr = commit.pr !== undefined && !commit.subject.includes(`#${commit.pr}`) ? ` (#${commit.pr})` : ''
  const pick = commit.cherryPickOf ? ` — cherry-pick of ${commit.cherryPickOf.sha.slice(0, 7)}` : ''
  return `${commit.service}: \`${commit.sha.slice(0, 7)}\` ${markdownText(commit.subject)}${pr}${pick}`
}

/** One step as a line of the note's services list. */
export function stepLine(step: SetStepPreview): string {
  const sha = step.sha ? ` \`${step.sha.slice(0, 7)}\`` : ''
  switch (step.verdict) {
    case 'ships': {
      const n = step.preview?.commits.length ?? 0
      const kind = step.preview?.kind === 'first-deploy' ? 'first deploy' : `ships ${n} commit${n === 1 ? '' : 's'}`
      return `${step.service}${sha}: ${kind}`
    }
    case 'already-there':
      return `${step.service}${sha}: already there`
    case 'refused':
      return `${step.service}${sha}: refused — ${step.blockers.map((b) => markdownText(b.message)).join(' ')}`
    default: {
      const never: never = step.verdict
      return never
    }
  }
}

/**
 * The release note of a set as Markdown: what each service does, every commit grouped by author (none left out), and
 * the authors to ask with their emails, as a checklist.
 */
export function releaseNote(title: string, steps: readonly SetStepPreview[], authors: readonly SetAuthor[]): string {
  const count = authors.reduce((n, a) => n + a.commits.length, 0)
  const shipping = steps.filter((s) => s.verdict === 'ships').length
  const lines = [
    `# Release ${markdownText(title)}`,
    '',
    `${count} commit${count === 1 ? '' : 's'} in ${shipping} service${shipping === 1 ? '' : 's'}, by ${authors.length} author${authors.length === 1 ? '' : 's'}.`,
    '',
    '## Services',
    '',
    ...steps.map((s) => `- ${stepLine(s)}`),
  ]
  if (authors.length > 0) {
    lines.push('', '## Commits by author')
    for (const author of authors) {
      lines.push('', `### ${markdownText(author.name)} <${author.email}>`, '')
      lines.push(...author.commits.map((c) => `- ${commitLine(c)}`))
    }
    lines.push('', '## Authors to ask', '')
    lines.push(
      ...authors.map(
        (a) =>
          `- [ ] ${markdownText(a.name)} <${a.email}> (${a.commits.length} commit${a.commits.length === 1 ? '' : 's'})`,
      ),
    )
  }
  return `${lines.join('\n')}\n`
}

/** Text from a commit made safe for one Markdown line: no line breaks, no markup that would change the note's shape. */
function markdownText(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/([\\`*_[\]<>|])/g, '\\$1')
    .trim()
}
