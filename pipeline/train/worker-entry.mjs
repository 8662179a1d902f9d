// Worker threads do not inherit the main thread's TypeScript loader (tsx registers its hooks per
// thread), so each worker registers it before loading the TypeScript worker module.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
