import type { Matrix } from '../../../shared/models/environments'

/** A column group of the matrix: environments every region shares, or one region's own. */
export interface ColumnGroup {
  label: string
  environments: string[]
}

/** Groups the matrix's environments: shared ones (dev, qa, staging) once, then each region's own (production). */
export function columnGroups(matrix: Pick<Matrix, 'regions' | 'environments'>): ColumnGroup[] {
  const shared = matrix.environments.filter(
    (env) => matrix.regions.length > 1 && matrix.regions.every((r) => r.path.includes(env)),
  )
  const groups: ColumnGroup[] = shared.length ? [{ label: 'All regions', environments: shared }] : []
  const seen = [...shared]
  for (const region of matrix.regions) {
    const own = region.path.filter((env) => !seen.includes(env))
    seen.push(...own)
    if (own.length) groups.push({ label: region.label, environments: own })
  }
  const rest = matrix.environments.filter((env) => !seen.includes(env))
  if (rest.length) groups.push({ label: 'Other', environments: rest })
  return groups
}
