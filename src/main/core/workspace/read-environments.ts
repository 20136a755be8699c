import { isSeq } from 'yaml'
import type { Environment, Region } from '../../../shared/models/workspace'
import { readRequireSignoff } from './read-coordination'
import { readDeploy } from './read-deploy'
import { readProbe } from './read-probe'
import { checkName } from './read-services'
import type { Field, ReadContext } from './yaml-reader'
import { readBoolean, readEntries, readMap, readNames, readString, refer, report } from './yaml-reader'

function readEnvironment(ctx: ReadContext, field: Field): Environment | undefined {
  if (!checkName(ctx, field.key, field.name, 'environment')) return undefined
  const use = `environment \`${field.name}\``
  if (field.value === null) return { name: field.name, probe: { kind: 'none' }, requirePreviousSuccess: false }
  const fields = readMap(ctx, field.value, field, {
    what: use,
    keys: ['probe', 'deploy', 'requirePreviousSuccess', 'requireSignoff'],
  })
  if (!fields) return undefined
  const probeField = fields.get('probe')
  const deployField = fields.get('deploy')
  const probe = probeField ? readProbe(ctx, probeField, `the probe of ${use}`) : { kind: 'none' as const }
  const deploy = deployField ? readDeploy(ctx, deployField, `the deploy job of ${use}`) : undefined
  const guard = fields.get('requirePreviousSuccess')
  const requirePreviousSuccess = guard ? readBoolean(ctx, guard, `requirePreviousSuccess of ${use}`) : false
  const signoffField = fields.get('requireSignoff')
  const requireSignoff = readRequireSignoff(ctx, signoffField, use)
  if (probe === undefined || (deployField && !deploy) || requirePreviousSuccess === undefined) return undefined
  if (signoffField && !requireSignoff) return undefined
  const environment: Environment = deploy
    ? { name: field.name, probe, deploy, requirePreviousSuccess }
    : { name: field.name, probe, requirePreviousSuccess }
  if (requireSignoff && requireSignoff.length > 0) environment.requireSignoff = requireSignoff
  return environment
}

/** Reads the `environments:` mapping, in file order; a name written twice is reported. */
export function readEnvironments(ctx: ReadContext, field: Field | undefined): Environment[] {
  if (!field) return []
  const entries = readEntries(ctx, field.value, field, '`environments`', 'environment')
  const environments: Environment[] = []
  for (const entry of entries?.list ?? []) {
    const environment = readEnvironment(ctx, entry)
    if (environment) environments.push(environment)
  }
  return environments
}

function readRegion(ctx: ReadContext, field: Field): Region | undefined {
  if (!checkName(ctx, field.key, field.name, 'region')) return undefined
  const what = `region \`${field.name}\``
  // `uk: [dev, qa, production-uk]` is shorthand for `uk: { path: [...] }`.
  const fields = isSeq(field.value)
    ? undefined
    : readMap(ctx, field.value, field, { what, keys: ['label', 'path', 'production'], required: ['path'] })
  if (!fields && !isSeq(field.value)) return undefined
  const pathField = fields ? fields.get('path') : field
  const path = readNames(ctx, pathField, `the path of ${what}`)
  if (!path) return undefined
  if (path.length === 0) {
    report(
      ctx,
      pathField ?? field,
      `the path of ${what} is empty`,
      'list its environments in promotion order, e.g. `path: [dev, qa, production]`',
    )
    return undefined
  }
  const seen = new Set<string>()
  for (const step of path) {
    refer(ctx, { what: 'environment', name: step.value, node: step.node, use: `the path of ${what}` })
    if (seen.has(step.value))
      report(
        ctx,
        step.node,
        `\`${step.value}\` appears twice in the path of ${what}`,
        'an environment appears once in a promotion path',
      )
    seen.add(step.value)
  }
  const label = readString(ctx, fields?.get('label'), `the label of ${what}`) ?? field.name
  const productionField = fields?.get('production')
  const production = productionField
    ? readNames(ctx, productionField, `the production of ${what}`, true)
    : path.slice(-1)
  for (const item of production ?? []) {
    if (!seen.has(item.value))
      report(
        ctx,
        item.node,
        `\`${item.value}\` is not on the path of ${what}`,
        `name environments of its path: ${[...seen].join(', ')}`,
      )
  }
  if (!production) return undefined
  return {
    name: field.name,
    label,
    path: path.map((step) => step.value),
    production: production.map((item) => item.value),
  }
}

/** Reads the `regions:` mapping: each region's promotion path and production environments. */
export function readRegions(ctx: ReadContext, field: Field | undefined): Region[] {
  if (!field) return []
  const entries = readEntries(ctx, field.value, field, '`regions`', 'region')
  const regions: Region[] = []
  for (const entry of entries?.list ?? []) {
    const region = readRegion(ctx, entry)
    if (region) regions.push(region)
  }
  return regions
}
