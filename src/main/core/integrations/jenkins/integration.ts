import { jenkinsJob } from '../../workspace/job-fields'
import { fillValues } from '../../workspace/templates'
import type { Integration } from '../integration'
import { checkJenkins } from './check'
import { jenkinsProbe } from './probe'
import { createJenkinsProvider } from './provider'
import { readJenkinsEndpoint, readJenkinsProbe } from './read'

/** Jenkins: deploys by queueing a build, probes the last successful one, checks user and token (README.md here). */
export const jenkins: Integration<'jenkins'> = {
  kind: 'jenkins',
  label: 'Jenkins',
  endpoint: {
    keys: ['url', 'user', 'credential'],
    required: ['url', 'user', 'credential'],
    read: readJenkinsEndpoint,
    check: checkJenkins,
  },
  probe: {
    keys: ['jenkins', 'job', 'shaParameter', 'environment'],
    examples: ['`{ jenkins: <endpoint>, job: <name> }`'],
    read: readJenkinsProbe,
    fill: (probe, fill) => ({
      ...probe,
      job: fill(probe.job),
      ...(probe.environmentParameter
        ? { environmentParameter: { ...probe.environmentParameter, value: fill(probe.environmentParameter.value) } }
        : {}),
    }),
    run: jenkinsProbe,
  },
  deploy: {
    values: 'parameters',
    // A job copied from its URL (`release/job/deploy`) means its folder path.
    readJob: jenkinsJob,
    examples: ['`{ jenkins: <endpoint>, job: <name>, parameters: { sha: "{sha}" } }`'],
    job: (endpoint, job, parameters) => ({ provider: 'jenkins', endpoint, job, parameters }),
    fill: (job, fill) => ({ ...job, job: fill(job.job), parameters: fillValues(job.parameters, fill) }),
    create: (endpoint, ports) =>
      createJenkinsProvider({
        endpoint,
        credential: endpoint.credential,
        secret: ports.secret,
        ...(ports.fetch ? { fetch: ports.fetch } : {}),
      }),
  },
}
