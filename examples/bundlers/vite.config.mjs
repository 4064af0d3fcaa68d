// The Vite recipe: `vite build` → vite-dist/ (vite.html and its assets).
export default {
  build: { outDir: 'vite-dist', target: 'es2022', rollupOptions: { input: 'vite.html' } },
  worker: { format: 'es' },
};
