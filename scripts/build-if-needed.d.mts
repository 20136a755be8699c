/** Builds the app with electron-vite when out/ is missing or older than src/; progress on stderr. */
export function buildIfNeeded(root?: string): void
