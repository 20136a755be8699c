import type { Integration } from '../integration'
import { gitRefProbe } from './probe'
import { readGitRefProbe } from './read'

/** Git refs: what an environment runs according to a branch or the newest matching tag in the clone (README.md here). */
export const gitRef: Integration<'git-ref'> = {
  kind: 'git-ref',
  label: 'Git refs',
  probe: {
    keys: ['git-ref'],
    examples: ['`{ git-ref: <ref> }`'],
    read: readGitRefProbe,
    fill: (probe, fill) => ({ ...probe, ref: fill(probe.ref) }),
    run: gitRefProbe,
  },
}
