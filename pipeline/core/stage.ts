/**
 * The contract between the runner and a stage. A stage is a small module: it declares what part
 * of the config it depends on, which earlier stages it reads, and writes its artifacts into the
 * folder it is given. It never writes anywhere else and never reads a later stage.
 */
import type { ResolvedConfig } from './config.ts';
import type { StageName } from './schema.ts';
import type { Logger, Progress } from './progress.ts';
import type { Manifest } from './artifacts.ts';

export interface StageContext {
  config: ResolvedConfig;
  /** Folder the stage writes into. Renamed into place by the runner when `run` resolves. */
  outDir: string;
  /**
   * Work folder kept across interrupted runs with the same cache key (for resumable work such
   * as training checkpoints); removed after a successful run.
   */
  workDir: string;
  /**
   * This stage's previous complete output folder, if there is one (it stays in place until the
   * new output replaces it). The report stage compares against it for "changes since the
   * previous run".
   */
  previous?: string;
  /** Final output folder of an upstream stage (must be one of `deps`). */
  input(stage: StageName): string;
  log: Logger;
  progress: Progress;
  signal: AbortSignal;
}

export interface Stage {
  name: StageName;
  deps: StageName[];
  /**
   * Paths, relative to the repository root, whose files make up this stage's code version
   * (its own folder, shared libraries it uses, templates, locales).
   */
  code: string[];
  /** The part of the config this stage depends on; its hash is part of the cache key. */
  slice(config: ResolvedConfig): unknown;
  /**
   * Content hashes of files the stage reads from outside the output folder (e.g. user
   * recordings), keyed by path; part of the cache key, so a changed input file re-runs the stage.
   */
  externalInputs?(config: ResolvedConfig): Promise<Record<string, string>>;
  run(ctx: StageContext): Promise<void>;
  /**
   * After a successful run the runner copies the last stage's output to a new run folder
   * (`runs/<timestamp>/`, linked as `latest`); this hook may add run-level files there, such as
   * an index page with the manifest's summary.
   */
  publish?(publishedDir: string, manifest: Manifest, config: ResolvedConfig): void | Promise<void>;
}
