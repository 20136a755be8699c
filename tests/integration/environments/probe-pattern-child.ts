import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { httpProbe } from '../../../src/main/core/integrations/version-page/probe'
import { toErrorData } from '../../../src/shared/errors'

// Run by probe-pattern.test.ts in its own process: a probe whose pattern backtracks forever must not freeze it.
const server = createServer((req, res) =>
  res.end(req.url === '/evil' ? `${'a'.repeat(40)}!` : 'commit 3f2a9c1d0e5b7a8c9d0e1f2a3b4c5d6e7f8a9b0c\n'),
)
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const ctx = {
  service: 'web',
  environment: 'dev',
  secret: () => Promise.resolve(undefined),
  endpoints: {},
  signal: AbortSignal.timeout(600_000),
  fetch,
}
const evil = await httpProbe({ kind: 'http', url: `${base}/evil`, format: 'text', pattern: '(a+)+$' }, ctx).then(
  (value) => ({ value }),
  (error: unknown) => ({ error: toErrorData(error) }),
)
// The same process answers the next probe at once.
const next = await httpProbe(
  { kind: 'http', url: `${base}/good`, format: 'text', pattern: 'commit ([0-9a-f]{40})' },
  ctx,
)
server.close()
process.stdout.write(JSON.stringify({ evil, next }))
