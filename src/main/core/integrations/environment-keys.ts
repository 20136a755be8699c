/**
 * The options of a job config that name the environment (their value equals it), used to tell one
 * environment's runs from another's when one job deploys several (Rundeck options, Jenkins parameters).
 */
export function environmentKeys(values: Record<string, string>, environment: string): string[] {
  return Object.entries(values)
    .filter(([, value]) => value === environment)
    .map(([name]) => name)
}
