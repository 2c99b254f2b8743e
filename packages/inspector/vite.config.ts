import { defineConfig, type Plugin } from 'vite';

/**
 * The page must work in three places: at the token service's `/` under a strict CSP, from any static
 * host, and opened straight from disk. Chromium refuses module scripts and `crossorigin` assets on
 * `file://`, so the bundle is a classic IIFE script loaded with `defer`, and every asset URL is relative.
 */
function classicScript(): Plugin {
  return {
    name: 'inspector-classic-script',
    enforce: 'post',
    transformIndexHtml(html) {
      return html.replace(/<script type="module"/g, '<script defer').replace(/ crossorigin(?=[ >])/g, '');
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [classicScript()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    // One stylesheet file: with code splitting on, an IIFE build would inject CSS from JS, which a CSP blocks.
    cssCodeSplit: false,
    // One script, no inlined data: URLs for scripts, so `script-src 'self'` suffices.
    assetsInlineLimit: 0,
    rollupOptions: { output: { format: 'iife', inlineDynamicImports: true } },
  },
});
