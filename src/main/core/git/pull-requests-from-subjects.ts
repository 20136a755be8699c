const MERGE_PR = /^Merge pull request #(\d+) from /
const SQUASH_PR = /\(#(\d+)\)\s*$/

/** The pull request a commit subject names: "Merge pull request #N from …" or a squash-merge "… (#N)". */
export function pullRequestFromSubject(subject: string): number | undefined {
  const match = MERGE_PR.exec(subject) ?? SQUASH_PR.exec(subject)
  if (!match?.[1]) return undefined
  const n = Number(match[1])
  return Number.isSafeInteger(n) && n > 0 && n <= 0xffffffff ? n : undefined
}
