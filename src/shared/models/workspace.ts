import type { ErrorCode } from '../errors'

/** A full 40-hex commit id. */
export type Sha = string

/** A team's estate as read from a workspace file: services, environments, paths, endpoints, trains. */
export interface Workspace {
  /** Absolute path of the YAML file it was read from. */
  file: string
  name: string
  services: Service[]
  /** Every environment once, in the order first met along the region paths. */
  environments: Environment[]
  /** Promotion paths, one per region, e.g. uk: dev → qa → staging → production-uk. */
  regions: Region[]
  /** Named endpoints that probes and deploy jobs refer to. */
  endpoints: Record<string, Endpoint>
  trains?: TrainSettings
  /** Where the team shares locks, sign-offs and runs in progress; without it they stay on this machine. */
  coordination?: CoordinationSettings
  /** Chat webhooks that deploy and lock events are posted to. */
  webhooks?: Webhook[]
  settings: WorkspaceSettings
}

/** The coordination repository: records committed on `ref`, pushed with a lease. */
export interface CoordinationSettings {
  /** The repository's URL (typically the one holding the workspace file). */
  repo: string
  /** The keychain credential that reads and pushes it. */
  credential?: string
  /** The ref the records live on. Default `refs/trainyard/coordination`. */
  ref: string
  /** Minutes after which a published run whose author stopped refreshing it shows as stale. Default 15. */
  staleAfterMinutes: number
}

/** What a webhook is told about. */
export type WebhookEvent = 'started' | 'succeeded' | 'failed' | 'rolled-back' | 'locked' | 'unlocked'

/** A chat webhook; its URL is a secret kept in the keychain under `credential`. */
export interface Webhook {
  name: string
  /** `slack`: `{ text }` (Slack, Mattermost, Rocket.Chat, Teams' Slack-compatible hooks); `json`: the event as data. */
  format: 'slack' | 'json'
  credential: string
  events: WebhookEvent[]
}

/** Tunables with defaults. */
export interface WorkspaceSettings {
  /** Background fetch interval in minutes; 0 turns it off. Default 10. */
  fetchIntervalMinutes: number
  /** Per-probe timeout in ms. Default 5000. */
  probeTimeoutMs: number
  /** How many probes run at once. Default 8. */
  probeConcurrency: number
  /** How many independent services of one wave a set promotion deploys at once. Default 1 (one after another). */
  parallelDeploys?: number
}

/** One deployable service and its repository. */
export interface Service {
  name: string
  repo: { url: string; credential?: string }
  defaultBranch: string
  github?: { owner: string; repo: string; endpoint?: string }
  /** Per-environment overrides of the environment's probe or deploy job. */
  environments: Record<string, { probe?: ProbeConfig; deploy?: DeployJobConfig; skip?: boolean }>
  /** Services that must be deployed before this one when several are promoted together (never a cycle). */
  dependsOn?: string[]
}

/** A region and its promotion path, first environment to production. */
export interface Region {
  name: string
  label: string
  /** Environment names in promotion order. */
  path: string[]
  /** The production environment(s) of the region (by default the last of the path). */
  production: string[]
}

/** An environment and how to read and change what runs there. Strings may hold `{service}`, `{environment}`, `{sha}`. */
export interface Environment {
  name: string
  probe: ProbeConfig
  deploy?: DeployJobConfig
  /** Guard option: the SHA must have been deployed successfully to the environment before this one in the path. */
  requirePreviousSuccess: boolean
  /** Environments whose QA sign-off a SHA (or a commit it ships) needs before it is promoted here. */
  requireSignoff?: string[]
}

/** How to learn the SHA an environment runs. */
export type ProbeConfig =
  | { kind: 'http'; url: string; format: 'json'; pointer: string; credential?: string }
  | { kind: 'http'; url: string; format: 'text'; pattern: string; credential?: string }
  | {
      kind: 'rundeck'
      endpoint: string
      jobId: string
      shaOption: string
      environmentOption?: { name: string; value: string }
    }
  | {
      kind: 'jenkins'
      endpoint: string
      job: string
      shaParameter: string
      environmentParameter?: { name: string; value: string }
    }
  | { kind: 'github'; environment: string }
  | { kind: 'git-ref'; ref: string }
  | { kind: 'none' }

/** Which job deploys a SHA to an environment. Option/parameter values are templates. */
export type DeployJobConfig =
  | { provider: 'rundeck'; endpoint: string; jobId: string; options: Record<string, string> }
  | { provider: 'jenkins'; endpoint: string; job: string; parameters: Record<string, string> }

/** A server Trainyard talks to; secrets are named, never stored here. */
export type Endpoint =
  | { kind: 'rundeck'; url: string; apiVersion: number; credential: string; project?: string }
  | { kind: 'jenkins'; url: string; user: string; credential: string }
  | { kind: 'github'; url: string; credential?: string }
  | { kind: 'http'; url: string; credential?: string }

/** Weekday names as written in the workspace file. */
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday'

/** Weekly release trains. */
export interface TrainSettings {
  /** IANA zone the schedule is written in, e.g. Europe/London. */
  timezone: string
  /** When master is cut, e.g. thursday 24:00 (= Friday 00:00). */
  cut: { day: Weekday; time: string }
  /** When a train is deployed, e.g. friday 10:00. */
  deploy: { day: Weekday; time: string }
  /** Rotating names; the train cut at `anchor.cutDate` takes `names[anchor.index]`. */
  names: string[]
  anchor: { date: string; name: string }
  /** Days a train must run in the first region before the next may take it. */
  seasoningDays: number
  /** Regions in the order a train reaches them, with how many trains each lags the first. */
  regions: { region: string; lag: number }[]
  /** Hotfix branch name pattern, e.g. `{region}-release`. */
  hotfixBranch: string
  /** Order in which a train promotes services. Default: the file's service order. */
  serviceOrder: string[]
}

/** A workspace as the "Create a workspace" form builds it: no file yet, settings optional. */
export type WorkspaceDraft = Omit<Workspace, 'file' | 'settings'> & { settings?: Partial<WorkspaceSettings> }

/** A server to test before it is saved: the endpoint as it will be written, and the secret typed for it (never stored by a test). */
export interface EndpointCheck {
  endpoint: Endpoint
  /** A secret typed in the form; when absent, the keychain's value of the endpoint's credential is used. */
  secret?: string
}

/** What testing an endpoint found. */
export interface EndpointCheckResult {
  ok: boolean
  /** e.g. "Rundeck 5.7.0, API 50: token accepted" or "403: the token was refused". */
  message: string
  code?: ErrorCode
}
