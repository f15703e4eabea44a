import type { Readable } from 'node:stream';

/**
 * Bytes of a receiver's answer Roster reads at most. Beyond them the connection is dropped:
 * the answer only ever serves as a hint in the dead-letter list, and a receiver (or whatever
 * a URL points at) must not make Roster buffer a large body, 20 deliveries at a time.
 */
export const MAX_RESPONSE_BYTES = 4096;

/** Characters of the answer kept with a failed try. */
const EXCERPT_CHARS = 200;

/**
 * Reads a stream up to `limit` bytes, then destroys it (so nothing more is pulled from the
 * socket). Resolves with what was read when the stream ends, closes early or hits the limit.
 */
export function readLimited(stream: Readable, limit: number = MAX_RESPONSE_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      stream.off('data', onData);
      resolve(Buffer.concat(chunks, Math.min(size, limit)));
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        done();
        stream.destroy();
      }
    };
    stream.on('data', onData);
    stream.once('end', done);
    stream.once('close', done);
    // A later error (the destroyed socket's) has nothing to add; listening keeps it from being unhandled.
    stream.on('error', (error) => reject(error));
  });
}

/**
 * What is kept of a receiver's answer: the first characters of its text, with control,
 * format and other unprintable characters (and runs of white space) made one space, so the
 * excerpt cannot carry terminal escapes, bidirectional overrides or binary into the API.
 */
export function responseExcerpt(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const printable = text.replace(/[\p{C}\p{Z}\s]+/gu, ' ').trim();
  const characters = [...printable];
  return characters.length > EXCERPT_CHARS ? `${characters.slice(0, EXCERPT_CHARS).join('')}…` : printable;
}
