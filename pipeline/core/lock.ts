/**
 * One run per output folder: `<out>/.lock` holds the holder's pid and start time. A second run
 * is refused naming the holder; a lock whose pid is no longer alive is taken over.
 */
import { openSync, writeSync, closeSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LockError } from './errors.ts';

export interface LockInfo { pid: number; startedAt: string; command: string }

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Lock { path: string; release(): void }

export function acquireLock(outDir: string, command = process.argv.slice(1).join(' ')): Lock & { tookOver?: LockInfo } {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, '.lock');
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString(), command };
  let tookOver: LockInfo | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      return {
        path,
        tookOver,
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: LockInfo | undefined;
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
      } catch {
        holder = undefined; // unreadable or half-written lock: treat as stale
      }
      if (holder && alive(holder.pid))
        throw new LockError(
          `${outDir} is in use by another run (pid ${holder.pid}, started ${holder.startedAt}: ${holder.command}). ` +
            `Wait for it to finish, or stop it; a lock left by a process that no longer runs is taken over automatically.`,
        );
      tookOver = holder;
      rmSync(path, { force: true });
    }
  }
  throw new LockError(`${outDir}: could not take the lock ${path}.`);
}
