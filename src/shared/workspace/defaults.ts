import type { WorkspaceSettings } from '../models/workspace'

/** The workspace file format this Trainyard reads and writes. */
export const workspaceVersion = 1

/** Settings a workspace file may leave out. */
export const defaultSettings: WorkspaceSettings = {
  fetchIntervalMinutes: 10,
  probeTimeoutMs: 5000,
  probeConcurrency: 8,
}

/** The ref coordination records live on when the workspace does not say. */
export const defaultCoordinationRef = 'refs/trainyard/coordination'

/** Minutes after which a published run nobody refreshes shows as stale, when the workspace does not say. */
export const defaultStaleAfterMinutes = 15
