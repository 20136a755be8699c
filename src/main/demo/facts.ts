/** One past deploy in the demo's made-up history (seeds the simulators and the journal). */
export interface DemoDeploy {
  service: string
  environment: string
  sha: string
  /** ISO start time. */
  at: string
  result: 'succeeded' | 'failed'
  by: string
}

/** What the demo generator made, kept in `facts.json` so later starts reuse it. */
export interface DemoFacts {
  version: 1
  generatedAt: string
  services: string[]
  trains: { week: number; name: string; cut: string; shas: Record<string, string> }[]
  deploys: DemoDeploy[]
  hotfix?: { service: string; branch: string; fix: string; picked: string }
}

/** The demo's services, in promotion order. */
export const DEMO_SERVICES = ['billing', 'checkout', 'catalog', 'notifications'] as const
/** The demo's environments and the provider that deploys each. */
export const DEMO_ENVIRONMENTS = [
  { name: 'dev', provider: 'jenkins' },
  { name: 'qa', provider: 'jenkins' },
  { name: 'staging', provider: 'rundeck' },
  { name: 'production-uk', provider: 'rundeck' },
  { name: 'production-us', provider: 'rundeck' },
] as const
/** The demo's train names. */
export const DEMO_TRAIN_NAMES = [
  'ALICIA',
  'BERTHA',
  'CHARLIE',
  'DARLENE',
  'EDNA',
  'FLORENCE',
  'GORDON',
  'HELENE',
  'IRMA',
  'JOSE',
  'KATIA',
  'LEE',
]
/** The demo's train settings (as written into its workspace file). */
export const DEMO_TRAINS = {
  timezone: 'Europe/London',
  cut: { day: 'thursday', time: '24:00' },
  deploy: { day: 'friday', time: '10:00' },
  names: DEMO_TRAIN_NAMES,
  anchor: { date: '2026-01-01', name: 'ALICIA' },
  seasoningDays: 7,
} as const
