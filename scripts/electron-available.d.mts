/** The Electron binary's path when it is installed, else undefined. */
export function electronBinary(): string | undefined
