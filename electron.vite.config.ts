import { resolve } from 'node:path'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Dependencies bundled in (but the native keychain module): a CLI command then loads one file instead of
      // resolving and translating hundreds of CommonJS modules at every start.
      externalizeDeps: false,
      // The Electron shell, and the two plain-Node entries built beside it so they start without compiling
      // TypeScript: the CLI (`bin/trainyard.mjs` runs `out/main/cli.js`) and the web host (`npm run web`).
      rolldownOptions: {
        input: {
          index: resolve('src/main/shell/index.ts'),
          cli: resolve('src/main/cli/main.ts'),
          host: resolve('src/main/host/main.ts'),
        },
        external: ['keytar', 'electron'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be CommonJS.
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: { outDir: 'out/renderer', rolldownOptions: { input: resolve('src/renderer/index.html') } },
    plugins: [svelte()],
  },
})
