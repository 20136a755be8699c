import * as fs from 'node:fs'
import { join } from 'node:path'
import git from 'isomorphic-git'
import { RecordStore } from '../core/coordination/record-store'
import { recordFile, recordPath } from '../core/coordination/records'
import type { Lock, Signoff } from '../../shared/models/coordination'
import { defaultCoordinationRef } from '../../shared/workspace/defaults'
import type { DemoDeploy } from './facts'

const HOUR = 3_600_000

/** The demo's coordination repository, served by its git server next to the services. */
export function demoCoordinationGitdir(dir: string): string {
  return join(dir, 'origin', 'coordination.git')
}

/**
 * Makes the demo team's coordination repository with what a team would have in it: QA's sign-off on what qa runs
 * of billing, and a freeze on notifications in the US (the SMS provider migrates). Written with the core's own
 * record store, straight onto the served repository (no push: nothing serves it yet).
 */
export async function seedCoordination(dir: string, deploys: DemoDeploy[], now: Date): Promise<void> {
  const gitdir = demoCoordinationGitdir(dir)
  await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' })
  const cache = {}
  const write = (who: { name: string; email: string }, at: Date) =>
    new RecordStore({ gitdir, cache: () => cache, ref: defaultCoordinationRef, clock: () => at, identity: who })
  const qa = deploys.filter((d) => d.service === 'billing' && d.environment === 'qa' && d.result === 'succeeded').pop()
  if (qa) {
    const at = new Date(Math.min(now.getTime() - 2 * HOUR, Date.parse(qa.at) + HOUR))
    const signoff: Signoff = {
      id: 'demo-signoff-billing-qa',
      service: 'billing',
      sha: qa.sha,
      environment: 'qa',
      by: { name: 'Eun-ji Park', email: 'eunji@acme.example' },
      at: at.toISOString(),
      note: 'Regression suite green; refunds checked by hand',
    }
    await write(signoff.by as { name: string; email: string }, at).write('sign off billing in qa', () => [
      { path: recordPath('signoffs', signoff.id), content: recordFile(signoff, at) },
    ])
  }
  const at = new Date(now.getTime() - 5 * HOUR)
  const lock: Lock = {
    id: 'demo-lock-notifications-us',
    scope: { kind: 'service', service: 'notifications', environment: 'production-us' },
    reason: 'Holding US notifications: the SMS provider migrates on Monday',
    by: { name: 'Chloé Martin', email: 'chloe@acme.example' },
    at: at.toISOString(),
    expiresAt: new Date(now.getTime() + 3 * 24 * HOUR).toISOString(),
    link: 'https://status.acme.example/incidents/sms-migration',
  }
  await write(lock.by as { name: string; email: string }, at).write('lock notifications in production-us', () => [
    { path: recordPath('locks', lock.id), content: recordFile(lock, at) },
  ])
}
