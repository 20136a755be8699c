import { fillValues } from '../../workspace/templates'
import type { Integration } from '../integration'
import { checkRundeck } from './check'
import { rundeckProbe } from './probe'
import { createRundeckProvider } from './provider'
import { readRundeckEndpoint, readRundeckProbe } from './read'

/** Rundeck: deploys by running a job, probes its newest succeeded execution, checks the token (README.md here). */
export const rundeck: Integration<'rundeck'> = {
  kind: 'rundeck',
  label: 'Rundeck',
  endpoint: {
    keys: ['url', 'apiVersion', 'credential', 'project'],
    required: ['url', 'credential'],
    read: readRundeckEndpoint,
    check: checkRundeck,
  },
  probe: {
    keys: ['rundeck', 'job', 'shaOption', 'environment'],
    examples: ['`{ rundeck: <endpoint>, job: <id> }`'],
    read: readRundeckProbe,
    fill: (probe, fill) => ({
      ...probe,
      jobId: fill(probe.jobId),
      ...(probe.environmentOption
        ? { environmentOption: { ...probe.environmentOption, value: fill(probe.environmentOption.value) } }
        : {}),
    }),
    run: rundeckProbe,
  },
  deploy: {
    values: 'options',
    examples: ['`{ rundeck: <endpoint>, job: <id>, options: { sha: "{sha}" } }`'],
    job: (endpoint, job, options) => ({ provider: 'rundeck', endpoint, jobId: job, options }),
    fill: (job, fill) => ({ ...job, jobId: fill(job.jobId), options: fillValues(job.options, fill) }),
    create: (endpoint, ports) =>
      createRundeckProvider({
        endpoint,
        credential: endpoint.credential,
        secret: ports.secret,
        ...(ports.fetch ? { fetch: ports.fetch } : {}),
      }),
  },
}
