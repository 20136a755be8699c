import { describe, expect, it } from 'vitest'
import { isSecretKey, looksLikeSecret } from '../../../src/main/core/workspace/inline-secrets'

describe('inline secrets', () => {
  it('recognises tokens and passwords', () => {
    for (const value of [
      'uJ8vK2xQ9mN4pL7rT3wY6zA1bC5dE0fG', // a Rundeck API token
      'ghp_R4nd0mL00kingT0kenValue12345678',
      'github_pat_11ABCDEFG0abcdefghijklmnopqrstuvwxyz',
      '11a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7', // a Jenkins API token
      'AKIAIOSFODNN7EXAMPLE',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib3QifQ.sig',
      'https://bot:hunter2@git.acme.internal/billing.git',
    ]) {
      expect(looksLikeSecret(value), value).toBe(true)
    }
  })

  it('leaves names, ids, SHAs and URLs alone', () => {
    for (const value of [
      'PaymentsProductionDeploy2024Job1',
      'MyServiceDeployJobForProductionUK2',
      '3b6c0e4a-5a59-4d5c-9f3e-1c2d3e4f5a6b',
      'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
      'https://rundeck.acme.internal',
      'https://{service}.dev.acme.internal/version',
      'release-2024-candidate-build-3',
      'rundeck-token',
    ]) {
      expect(looksLikeSecret(value), value).toBe(false)
    }
  })

  it('recognises keys where people write secrets', () => {
    expect(['token', 'apiToken', 'password', 'api_key', 'clientSecret', 'privateKey'].every(isSecretKey)).toBe(true)
    expect(['credential', 'shaOption', 'hotfixBranch', 'user', 'url'].some(isSecretKey)).toBe(false)
  })
})
