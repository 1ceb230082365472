/** What the page shows and a link carries: the file, the probe lines and the access options. */
export interface PlaygroundState {
  mappings: string;
  probes: string;
  options: string;
}

/** One preloaded example, as scripts/build-playground.mjs writes it. */
export interface Example {
  id: string;
  title: string;
  mappings: string;
  probes: string;
  options: unknown;
}

/** The fragment's version tag: a link made by a later page format can be told apart. */
const FRAGMENT_PREFIX = 'v1.';

/** The most bytes a fragment may inflate to: a crafted link cannot make the page grow without bound. */
const MAX_STATE_BYTES = 8_000_000;

/** Runs bytes through a (de)compression stream, giving up (null) past MAX_STATE_BYTES. */
async function transform(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array | null> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    total += read.value.length;
    if (total > MAX_STATE_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(read.value);
  }
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The state as a URL fragment: deflated JSON in base64url, so a link holds a whole file ('' when too large). */
export async function encodeState(state: PlaygroundState): Promise<string> {
  const json = JSON.stringify([state.mappings, state.probes, state.options]);
  const deflated = await transform(new TextEncoder().encode(json), new CompressionStream('deflate-raw'));
  return deflated === null ? '' : FRAGMENT_PREFIX + toBase64Url(deflated);
}

/** The state a fragment carries, or null when it is not one this page wrote (a bad link changes nothing). */
export async function decodeState(fragment: string): Promise<PlaygroundState | null> {
  const body = fragment.replace(/^#/, '');
  if (!body.startsWith(FRAGMENT_PREFIX)) return null;
  try {
    const bytes = await transform(fromBase64Url(body.slice(FRAGMENT_PREFIX.length)), new DecompressionStream('deflate-raw'));
    if (bytes === null) return null;
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((part) => typeof part === 'string')) return null;
    const [mappings, probes, options] = parsed as string[];
    return { mappings: mappings!, probes: probes!, options: options! };
  } catch {
    return null;
  }
}

/** The state an example starts from. */
export function exampleState(example: Example): PlaygroundState {
  return { mappings: example.mappings, probes: example.probes, options: JSON.stringify(example.options) };
}
