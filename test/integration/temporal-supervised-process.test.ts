/**
 * The dev server must never outlive the process that started it: stop() is graceful then
 * forceful, and a parent that dies without cleaning up (SIGKILL) still takes the child
 * with it. Exercised with `sleep` standing in for the `temporal` binary.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transformFileSync } from '@swc/core';
import { spawnSupervised } from '../../src/temporal/supervised-process';
import { liveProcessesInGroup } from '../helpers/temporal';

const posix = process.platform !== 'win32';
const itPosix = posix ? it : it.skip;

function groupAlive(pgid: number): boolean {
  return liveProcessesInGroup(pgid).length > 0;
}

async function eventually(check: () => boolean, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('spawnSupervised', () => {
  itPosix('stops the child with SIGTERM and reports its exit', async () => {
    const child = spawnSupervised('sleep', ['30']);
    expect(groupAlive(child.pid)).toBe(true);
    const started = Date.now();
    const exit = await child.stop(5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    // Killed by TERM either way: the wrapper passes on sleep's status (143), or — when TERM
    // reaches the wrapper before its trap is installed, as happens on a loaded machine — dies of it.
    expect(exit.code === 128 + 15 || (exit.code === null && exit.signal === 'SIGTERM')).toBe(true);
    expect(child.hasExited()).toBe(true);
    expect(groupAlive(child.pid)).toBe(false);
  });

  itPosix('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const child = spawnSupervised('sh', ['-c', 'trap "" TERM; while :; do sleep 0.1; done']);
    await new Promise((r) => setTimeout(r, 200)); // let the trap be installed
    const started = Date.now();
    const exit = await child.stop(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(exit.signal).toBe('SIGKILL');
    expect(await eventually(() => !groupAlive(child.pid), 2_000)).toBe(true);
  });

  itPosix('keeps the tail of the output and notices an early exit', async () => {
    const child = spawnSupervised('sh', ['-c', 'echo listening failed: address already in use >&2; exit 3']);
    await expect(child.exited).resolves.toEqual({ code: 3, signal: null });
    expect(child.output()).toContain('address already in use');
  });

  itPosix('takes the child down when the parent is SIGKILLed', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cloro-temporal-supervise-'));
    try {
      const modulePath = path.join(dir, 'supervised-process.js');
      const source = path.join(__dirname, '..', '..', 'src', 'temporal', 'supervised-process.ts');
      const compiled = transformFileSync(source, {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      });
      await fs.writeFile(modulePath, compiled.code);
      const parentScript = [
        `const { spawnSupervised } = require(${JSON.stringify(modulePath)});`,
        `const child = spawnSupervised('sleep', ['60']);`,
        'console.log(child.pid);',
        'setInterval(() => undefined, 1000);',
      ].join('\n');
      const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
      const pgid = await new Promise<number>((resolve, reject) => {
        parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
        parent.once('exit', () => reject(new Error('parent exited early')));
      });
      expect(groupAlive(pgid)).toBe(true);

      parent.kill('SIGKILL');
      expect(await eventually(() => !groupAlive(pgid), 5_000)).toBe(true);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
