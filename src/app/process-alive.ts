/** Whether a process with this pid is running (a stale dev-stack.json names one that is not). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
