// Builds the admin console into web/dist, which Roster serves at /admin (src/http/console).
// No React plugin: Vite's own transform compiles TSX; Fast Refresh is not needed to build.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/admin/',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No data: URIs and nothing inline, so the Content-Security-Policy can stay strict.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
