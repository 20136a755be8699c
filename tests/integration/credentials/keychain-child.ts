// Run by keychain.test.ts as a child process inside its own D-Bus session: exercises the real Secret Service.
import { KeytarSecretStore } from '../../../src/main/core/credentials/keytar-store'

const store = new KeytarSecretStore({ timeoutMs: 20_000 })
const steps: Record<string, unknown> = {}
try {
  steps.initiallyHas = await store.has('rundeck-token')
  await store.set('rundeck-token', 'first-secret')
  await store.set('github-token', 'ghp-secret')
  steps.afterSet = await store.get('rundeck-token')
  await store.set('rundeck-token', 'second-secret')
  steps.afterReplace = await store.get('rundeck-token')
  steps.names = await store.names()
  steps.has = await store.has('github-token')
  steps.deleted = await store.delete('github-token')
  steps.deletedAgain = await store.delete('github-token')
  steps.afterDelete = (await store.get('github-token')) ?? null
  steps.namesAfterDelete = await store.names()
} catch (error) {
  const e = error as { code?: string; message?: string }
  steps.error = { code: e.code ?? 'not-an-app-error', message: e.message }
}
process.stdout.write(JSON.stringify(steps))
