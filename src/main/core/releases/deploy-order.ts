import { AppError } from '../../../shared/errors'
import type { Service } from '../../../shared/models/workspace'

/**
 * The chosen services in waves: a service's wave comes after every wave holding a service it `dependsOn`; services
 * in one wave do not depend on each other and may deploy at the same time. A dependency outside the chosen set puts
 * no constraint (it is not being deployed). Within a wave, the workspace file's order. Throws on a cycle (the
 * workspace reader reports cycles, so only a model built by hand can have one).
 */
export function deployWaves(services: readonly Service[], chosen: readonly string[]): string[][] {
  const set = new Set(chosen)
  const inOrder = services.filter((s) => set.has(s.name))
  const unknown = chosen.filter((name) => !services.some((s) => s.name === name))
  if (unknown.length > 0)
    throw new AppError('not-found', `No service is called ${unknown.map((n) => `"${n}"`).join(', ')}.`)
  const level = new Map<string, number>()
  const levelOf = (service: Service, path: string[]): number => {
    const known = level.get(service.name)
    if (known !== undefined) return known
    if (path.includes(service.name))
      throw new AppError(
        'invalid-workspace',
        `Services depend on each other in a cycle: ${[...path, service.name].join(' → ')}.`,
      )
    let mine = 0
    for (const name of service.dependsOn ?? []) {
      const dependency = inOrder.find((s) => s.name === name)
      if (dependency) mine = Math.max(mine, levelOf(dependency, [...path, service.name]) + 1)
    }
    level.set(service.name, mine)
    return mine
  }
  const waves: string[][] = []
  for (const service of inOrder) {
    const at = levelOf(service, [])
    ;(waves[at] ??= []).push(service.name)
  }
  return waves.filter((wave) => wave.length > 0)
}
