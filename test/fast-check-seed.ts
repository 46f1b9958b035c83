/**
 * Property tests run from one fixed seed, so CI is reproducible and a red run
 * can be replayed. `FC_SEED=<n>` replays a seed; `FC_SEED=random` explores.
 */
import fc from 'fast-check';

const setting = process.env.FC_SEED;
if (setting !== 'random') fc.configureGlobal({ seed: setting ? Number(setting) : 20261126 });
