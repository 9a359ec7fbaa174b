/** A monitor operation the user asked for that cannot be done as asked (exists, missing): exit 2 with the reason. */
export class MonitorError extends Error {
  override name = 'MonitorError';
}
