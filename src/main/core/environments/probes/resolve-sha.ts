import { AppError } from '../../../../shared/errors'
import type { ProbeResult } from '../../../../shared/models/environments'
import type { Sha } from '../../../../shared/models/workspace'

/** Finds commits of a service's clone whose SHA starts with a hex prefix (all of them, so ambiguity shows). */
export type ShaResolver = (service: string, prefix: string) => string[] | Promise<string[]>

/** Refs of a service's clone, names to commit SHAs. */
export type RefsReader = (service: string) => Promise<Map<string, string>>

/** Ports the resolution may use; without `resolveSha` a full SHA is trusted and a short one left raw. */
export interface ResolvePorts {
  resolveSha?: ShaResolver
  refs?: RefsReader
}

/** Shortest prefix accepted as a SHA, as GOV.UK's Release app does (Part D.1). */
export const MIN_PREFIX = 6

/**
 * Turns a probe's raw value into a full SHA of the clone: a full or short (≥ 6 hex) SHA by prefix,
 * else a branch or tag name through the refs. Returns undefined when it cannot be checked (no ports).
 */
export async function resolveDeployedSha(service: string, raw: string, ports: ResolvePorts): Promise<Sha | undefined> {
  const value = raw.trim()
  const hex = value.toLowerCase()
  if (new RegExp(`^[0-9a-f]{${MIN_PREFIX},40}$`).test(hex)) {
    if (!ports.resolveSha) return hex.length === 40 ? hex : undefined
    const candidates = [...new Set(await ports.resolveSha(service, hex))]
    if (candidates.length === 1 && candidates[0]) return candidates[0]
    if (candidates.length === 0) throw notInClone(service, value)
    throw new AppError(
      'ambiguous-sha',
      `${value} matches ${candidates.length} commits of ${service}; the probe should report a longer SHA.`,
      {
        candidates,
      },
    )
  }
  if (ports.refs) {
    const refs = await ports.refs(service)
    for (const name of [`refs/tags/${value}`, `refs/heads/${value}`, `refs/remotes/origin/${value}`]) {
      const sha = refs.get(name)
      if (sha) return sha
    }
    if (/^[0-9a-f]{1,40}$/i.test(value)) throw notInClone(service, value)
    throw new AppError(
      'sha-not-in-clone',
      `"${value.slice(0, 60)}" is neither a SHA nor a branch or tag of ${service}'s clone; fetch it and probe again.`,
      {
        raw: value,
        suggestion: 'fetch',
      },
    )
  }
  throw new AppError(
    'bad-response',
    `The probe answered "${value.slice(0, 60)}", which is not a commit SHA (at least ${MIN_PREFIX} hex digits).`,
    { raw: value },
  )
}

/**
 * A probe result whose value the clone did not know when it was read (no clone yet, before a fetch, or while its
 * history was still loading), resolved
 * again through the same rules: no network needed. Unchanged when it still cannot be resolved.
 */
export async function resolveAgain(result: ProbeResult, ports: ResolvePorts): Promise<ProbeResult> {
  const code = result.error?.code
  // `not-ready`: older than what a shallow first clone had fetched when it was read.
  if ((code !== 'sha-not-in-clone' && code !== 'not-ready') || result.raw === undefined) return result
  try {
    const sha = await resolveDeployedSha(result.service, result.raw, ports)
    if (sha === undefined) return result
    const { error: _error, ...rest } = result
    return { ...rest, sha }
  } catch {
    return result
  }
}

function notInClone(service: string, value: string): AppError {
  return new AppError(
    'sha-not-in-clone',
    `${service}'s clone has no commit ${value}; fetch the repository and probe again.`,
    {
      raw: value,
      suggestion: 'fetch',
    },
  )
}
