import type { Integration } from '../integration'
import { checkGitHub } from './check'
import { GitHubLedgers } from './ledgers'
import { githubProbe } from './probe'
import { GITHUB_API, readGitHubEndpoint, readGitHubProbe } from './read'

/**
 * GitHub: GitHub Deployments as the team's shared ledger (every run recorded), and as a probe (the newest
 * successful deployment); the endpoint check reads the token's budget (README.md here).
 */
export const github: Integration<'github'> = {
  kind: 'github',
  label: 'GitHub',
  endpoint: {
    keys: ['url', 'credential'],
    required: [],
    defaultUrl: GITHUB_API,
    read: readGitHubEndpoint,
    check: checkGitHub,
  },
  probe: {
    keys: ['github'],
    examples: ['`{ github: <environment> }`'],
    read: readGitHubProbe,
    fill: (probe, fill) => ({ ...probe, environment: fill(probe.environment) }),
    run: githubProbe,
  },
  recorder: {
    // Only services with a `github:` repository are recorded; without any, nothing listens.
    create: (workspace, ports) =>
      workspace.services.some((service) => service.github) ? new GitHubLedgers(workspace, ports) : undefined,
  },
}
