import type { WorkspaceSettings } from '../models/workspace'

/** The workspace file format this Trainyard reads and writes. */
export const workspaceVersion = 1

/** Settings a workspace file may leave out. */
export const defaultSettings: WorkspaceSettings = {
  fetchIntervalMinutes: 10,
  probeTimeoutMs: 5000,
  probeConcurrency: 8,
  parallelDeploys: 1,
}

/**
 * The range each setting may take, inclusive, in whole units. Past them a timer overflows (Node's timers hold
 * 2^31 ms, about 24.8 days) or every probe waits for ever; the form and the reader use the same bounds.
 */
export const settingBounds: Record<keyof WorkspaceSettings, { min: number; max: number; unit: string }> = {
  fetchIntervalMinutes: { min: 0, max: 1440, unit: 'minutes; 0 turns background fetching off' },
  probeTimeoutMs: { min: 100, max: 120_000, unit: 'milliseconds per probe' },
  probeConcurrency: { min: 1, max: 64, unit: 'probes at once' },
  parallelDeploys: { min: 1, max: 16, unit: 'deploys of one wave at once when a set is promoted' },
}

/** The ref coordination records live on when the workspace does not say. */
export const defaultCoordinationRef = 'refs/trainyard/coordination'

/** Minutes after which a published run nobody refreshes shows as stale, when the workspace does not say. */
export const defaultStaleAfterMinutes = 15
