const mergedPr = /^Merge pull request (#\d+) from [^/\s]+\/(\S+)/

/** A subject as a glance reads it: "Merge pull request #185 from acme/fix-cache" becomes "#185 fix-cache". */
export function readableSubject(subject: string): string {
  const pr = mergedPr.exec(subject)
  return pr ? `${pr[1]} ${pr[2]}` : subject
}
