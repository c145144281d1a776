/**
 * The console's build: a single-page app in web/, written to web/dist. `npm start` builds it when
 * web/dist is missing or older than its sources (infra/local/consoleBuild.ts); the CDK stack builds
 * it into the hosting bucket's asset (infra/stack/consoleHosting.ts).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts or styles: the Content-Security-Policy allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
