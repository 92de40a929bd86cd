/** Worker entry points live next to this file in the compiled output (dist/engine/). */
export function workerUrl(name: 'receiver' | 'sender'): URL {
  return new URL(`./${name}.worker.js`, import.meta.url);
}
