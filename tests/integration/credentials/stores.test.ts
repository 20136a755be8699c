import { describe, expect, it } from 'vitest'
import { CredentialStates } from '../../../src/main/core/credentials/credential-states'
import type { KeytarModule } from '../../../src/main/core/credentials/keytar-store'
import { KeytarSecretStore } from '../../../src/main/core/credentials/keytar-store'
import { MemorySecretStore } from '../../../src/main/core/credentials/memory-store'

describe('MemorySecretStore', () => {
  it('sets, replaces, lists and deletes', async () => {
    const store = new MemorySecretStore({ 'jenkins-token': 'j' })
    await store.set('rundeck-token', 'a')
    await store.set('rundeck-token', 'b')
    expect(await store.get('rundeck-token')).toBe('b')
    expect(await store.names()).toEqual(['jenkins-token', 'rundeck-token'])
    expect(await store.delete('jenkins-token')).toBe(true)
    expect(await store.has('jenkins-token')).toBe(false)
    expect(await store.get('jenkins-token')).toBeUndefined()
  })

  it('refuses an empty secret or a multi-line name', async () => {
    const store = new MemorySecretStore()
    await expect(store.set('rundeck-token', '')).rejects.toMatchObject({ code: 'invalid-input' })
    await expect(store.set('a\nb', 'x')).rejects.toMatchObject({ code: 'invalid-input' })
  })
})

describe('KeytarSecretStore failure paths', () => {
  it('turns a module that cannot load into keychain-unavailable', async () => {
    const store = new KeytarSecretStore({
      load: () => {
        throw new Error('libsecret-1.so.0: cannot open shared object file')
      },
    })
    await expect(store.get('rundeck-token')).rejects.toMatchObject({
      code: 'keychain-unavailable',
      details: { reason: 'libsecret-1.so.0: cannot open shared object file' },
    })
  })

  it('gives up on a keychain that never answers', async () => {
    const never = new Promise<never>(() => undefined)
    const keytar: KeytarModule = {
      getPassword: () => never,
      setPassword: () => never,
      deletePassword: () => never,
      findCredentials: () => never,
    }
    const store = new KeytarSecretStore({ load: () => keytar, timeoutMs: 20 })
    await expect(store.set('rundeck-token', 'secret')).rejects.toMatchObject({ code: 'keychain-unavailable' })
  })

  it('never puts the secret in the error', async () => {
    const keytar: KeytarModule = {
      getPassword: () => Promise.resolve(null),
      setPassword: () => Promise.reject(new Error('org.freedesktop.Secret.Error.IsLocked')),
      deletePassword: () => Promise.resolve(false),
      findCredentials: () => Promise.resolve([]),
    }
    const store = new KeytarSecretStore({ load: () => keytar })
    const error: unknown = await store.set('rundeck-token', 'hunter2-secret').catch((e: unknown) => e)
    expect(JSON.stringify(error)).not.toContain('hunter2')
    expect(String((error as Error).message)).not.toContain('hunter2')
  })
})

describe('CredentialStates', () => {
  it('tracks set, not-set and check-failed, and forgets a failure when the secret is set again', async () => {
    const states = new CredentialStates(new MemorySecretStore({ 'rundeck-token': 'r' }))
    const names = [
      { name: 'rundeck-token', usedBy: ['endpoint rundeck-main'] },
      { name: 'github-token', usedBy: ['endpoint github'] },
    ]
    expect(await states.list(names)).toEqual([
      { name: 'rundeck-token', usedBy: ['endpoint rundeck-main'], state: 'set' },
      { name: 'github-token', usedBy: ['endpoint github'], state: 'not-set' },
    ])
    states.checkFailed('rundeck-token')
    expect((await states.state('rundeck-token')).state).toBe('check-failed')
    expect(await states.set('rundeck-token', 'new')).toEqual({ name: 'rundeck-token', usedBy: [], state: 'set' })
    expect((await states.delete('rundeck-token')).state).toBe('not-set')
  })

  it('never carries a value', async () => {
    const states = new CredentialStates(new MemorySecretStore({ 'rundeck-token': 'value-that-must-not-leak' }))
    expect(JSON.stringify(await states.state('rundeck-token'))).not.toContain('value-that-must-not-leak')
  })
})
