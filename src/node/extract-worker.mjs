// Entry of an extraction worker. A worker starts without the loader the CLI
// registered for TypeScript, so it registers its own before loading the worker.
const { register } = await import('tsx/esm/api');
register();
await import('./extract-worker.ts');
