import type { Integration } from '../integration'
import { checkVersionPage } from './check'
import { httpProbe } from './probe'
import { readHttpEndpoint, readHttpProbe } from './read'

/** HTTP version pages (kind `http`): a service says what it runs at a URL; read as JSON or text (README.md here). */
export const versionPage: Integration<'http'> = {
  kind: 'http',
  label: 'HTTP version pages',
  endpoint: {
    keys: ['url', 'credential'],
    required: ['url'],
    read: readHttpEndpoint,
    check: checkVersionPage,
  },
  probe: {
    keys: ['http', 'json', 'text', 'credential'],
    examples: ['`{ http: <url>, json: /sha }`', '`{ http: <url>, text: <regex> }`'],
    read: readHttpProbe,
    // The pattern and the pointer are not templates: a regex's `{40}` must stay as written.
    fill: (probe, fill) => ({ ...probe, url: fill(probe.url) }),
    run: httpProbe,
  },
}
