/**
 * The webhook body as bytes, read only after the callback token checked out and never past
 * the limit: a host hands over what it has — bytes it already buffered (Express's
 * `express.raw()`, a serverless event) or the request stream itself (node:http, Fastify) —
 * and an unauthenticated or oversized delivery costs no more than the limit in memory.
 */
import type { Readable } from 'node:stream';

/** A webhook body as a host may hold it: already read, or still a stream of chunks. */
export type RawBody = Uint8Array | string | AsyncIterable<Uint8Array | string>;

const toBuffer = (chunk: Uint8Array | string): Buffer =>
  typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/** The bytes of `body`, or `undefined` once they exceed `limit`. A missing body is empty. */
export async function readRawBody(body: RawBody | null | undefined, limit: number): Promise<Buffer | undefined> {
  if (body === null || body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const bytes = toBuffer(body);
    return bytes.length > limit ? undefined : bytes;
  }
  if (isNodeStream(body)) return readNodeStream(body, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = toBuffer(chunk);
    size += bytes.length;
    if (size > limit) return undefined;
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}

function isNodeStream(body: AsyncIterable<Uint8Array | string>): body is Readable {
  return typeof (body as Partial<Readable>).on === 'function' && typeof (body as Partial<Readable>).removeListener === 'function';
}

/**
 * Reads with 'data' listeners rather than an async iterator: leaving an iterator early
 * destroys the request, and with it the socket the 413 must still be written to. Past the
 * limit the listeners go and the stream keeps flowing, so the rest is discarded unbuffered
 * (what Fastify's own body parser does).
 */
function readNodeStream(stream: Readable, limit: number): Promise<Buffer | undefined> {
  // Its 'end' has been and gone: waiting for it would hang the delivery.
  if (stream.readableEnded) return Promise.reject(new Error('the webhook body was already read: pass the raw bytes instead'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
    };
    const onData = (chunk: Uint8Array | string) => {
      const bytes = toBuffer(chunk);
      size += bytes.length;
      if (size <= limit) {
        chunks.push(bytes);
        return;
      }
      stop();
      stream.resume();
      resolve(undefined);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      stop();
      reject(err);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
