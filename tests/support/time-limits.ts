/**
 * The time limit of a differential test against the git CLI (hundreds of queries or picks, each checked by git). Its
 * query count is the point and stays; the limit is set for a loaded 2-core CI machine, where such a test takes three
 * to four times as long as on a quiet one. A hang still fails, just later.
 */
export const DIFFERENTIAL_TIMEOUT_MS = 240_000
