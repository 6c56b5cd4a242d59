// Preloaded into the measured server by the bench only (NODE_OPTIONS=--expose-gc --import this):
// SIGUSR2 runs full collections, so two RSS readings compare live memory rather than garbage a
// collection happened to leave or take between them.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
});
