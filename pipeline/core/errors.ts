/** Errors the CLI knows how to report: one paragraph, a fixed exit code, no stack unless --debug. */
export class PipelineError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad experiment file or bad input data named in it: exit 2. */
export class ConfigError extends PipelineError {
  constructor(message: string, readonly keyPath: string) {
    super(message, 2);
  }
}

/** Bad input data (a WAV file, a missing recording): exit 1, names the file or sample. */
export class DataError extends PipelineError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** A stage failed for a reason it could name (NaN loss, …): exit 1. */
export class StageError extends PipelineError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** Another run holds the output folder: exit 1. */
export class LockError extends PipelineError {
  constructor(message: string) {
    super(message, 1);
  }
}
