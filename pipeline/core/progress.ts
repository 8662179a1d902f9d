/**
 * Progress and logging. On a TTY: a live bar per long task (cli-progress). Off a TTY: one plain
 * line per stage and per step the stage reports (e.g. per epoch). --quiet: errors and the final
 * summary only.
 */
import cliProgress from 'cli-progress';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
}

export interface Task {
  /** Advance by n (default 1); `detail` is shown on the bar or printed as a line off a TTY. */
  tick(n?: number, detail?: string): void;
  done(): void;
}

export interface Progress {
  task(label: string, total: number): Task;
}

export type Verbosity = 'quiet' | 'normal' | 'debug';

export interface Reporter { log: Logger; progress: Progress; summary(msg: string): void }

export function createReporter(opts: { verbosity: Verbosity; tty?: boolean; out?: NodeJS.WriteStream }): Reporter {
  const out = opts.out ?? process.stderr;
  const tty = opts.tty ?? Boolean(out.isTTY);
  const quiet = opts.verbosity === 'quiet';
  let bars: cliProgress.MultiBar | undefined;
  const write = (s: string) => {
    if (bars) bars.log(s + '\n');
    else out.write(s + '\n');
  };
  const log: Logger = {
    info: (m) => { if (!quiet) write(m); },
    warn: (m) => write(`warning: ${m}`),
    error: (m) => write(`error: ${m}`),
    debug: (m) => { if (opts.verbosity === 'debug') write(`debug: ${m}`); },
  };
  const progress: Progress = {
    task(label, total) {
      if (quiet) return { tick() {}, done() {} };
      if (!tty) {
        let n = 0;
        return {
          tick(k = 1, detail) { n += k; if (detail) write(`  ${label} ${n}/${total}: ${detail}`); },
          done() {},
        };
      }
      bars ??= new cliProgress.MultiBar({
        stream: out, format: '  {label} [{bar}] {value}/{total} {detail}', hideCursor: true,
        clearOnComplete: false, barsize: 24,
      }, cliProgress.Presets.shades_classic);
      const bar = bars.create(total, 0, { label, detail: '' });
      return {
        tick(k = 1, detail = '') { bar.increment(k, { detail }); },
        done() {
          bar.stop();
          bars?.remove(bar);
          if (bars && (bars as any).bars?.length === 0) { bars.stop(); bars = undefined; }
        },
      };
    },
  };
  return { log, progress, summary: (m) => out.write(m + '\n') };
}
