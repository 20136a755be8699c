import { template } from '../../workspace/job-fields'
import { probeVariables } from '../../workspace/templates'
import type { Fields, ReadContext } from '../../workspace/yaml-reader'
import type { ProbeOf } from '../integration'

/** `{ git-ref: <branch, tag or tag glob> }`, a template. */
export function readGitRefProbe(ctx: ReadContext, fields: Fields, use: string): ProbeOf<'git-ref'> | undefined {
  const ref = template(ctx, fields.get('git-ref'), `the ref of ${use}`, probeVariables)
  return ref === undefined ? undefined : { kind: 'git-ref', ref }
}
