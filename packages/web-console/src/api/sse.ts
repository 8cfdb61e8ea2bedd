/** Server-sent events, parsed from text that may arrive cut anywhere (no DOM, no I/O). */

export interface SseMessage {
  event: string;
  data: string;
}

/**
 * Splits `buffer` into the complete messages it holds and the unfinished rest (to prepend to
 * the next chunk). Comment lines (`: heartbeat`) and messages without an event name are skipped.
 */
export function parseSse(buffer: string): { messages: SseMessage[]; rest: string } {
  const text = buffer.replace(/\r\n?/g, '\n');
  const messages: SseMessage[] = [];
  let start = 0;
  let cut: number;
  while ((cut = text.indexOf('\n\n', start)) >= 0) {
    const block = text.slice(start, cut);
    start = cut + 2;
    let event = '';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (event) messages.push({ event, data: data.join('\n') });
  }
  return { messages, rest: text.slice(start) };
}
