import type { WorkspaceSettings } from '../models/workspace'

/** The workspace file format this Trainyard reads and writes. */
export const workspaceVersion = 1

/** Settings a workspace file may leave out. */
export const defaultSettings: WorkspaceSettings = {
  fetchIntervalMinutes: 10,
  probeTimeoutMs: 5000,
  probeConcurrency: 8,
}
