import { AppError } from '../../../../shared/errors'
import type { ProbeConfig } from '../../../../shared/models/workspace'
import type { ProbeContext, ProbeOutput } from '../../integrations/probe-context'
import { gitRefProbe } from '../../integrations/git-ref/probe'
import { githubProbe } from '../../integrations/github/probe'
import { httpProbe } from '../../integrations/version-page/probe'
import { jenkinsProbe } from '../../integrations/jenkins/probe'
import { rundeckProbe } from '../../integrations/rundeck/probe'

/** Reads what one service runs in one environment with the probe its config names. */
export function runProbe(config: ProbeConfig, ctx: ProbeContext): Promise<ProbeOutput> {
  switch (config.kind) {
    case 'http':
      return httpProbe(config, ctx)
    case 'rundeck':
      return rundeckProbe(config, ctx)
    case 'jenkins':
      return jenkinsProbe(config, ctx)
    case 'github':
      return githubProbe(config, ctx)
    case 'git-ref':
      return gitRefProbe(config, ctx)
    case 'none':
      return Promise.reject(
        new AppError('unsupported', `${ctx.service} in ${ctx.environment} has no probe configured.`),
      )
    default: {
      const never: never = config
      return Promise.reject(new AppError('invalid-workspace', `Unknown probe kind in ${JSON.stringify(never)}.`))
    }
  }
}
