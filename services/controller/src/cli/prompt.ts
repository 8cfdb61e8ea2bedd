/** Reading a new password for `admin create`: hidden at a terminal, one line from a pipe. */

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** One line typed at the terminal without echo (raw mode), so the password never shows on screen. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: string) => {
      for (const ch of data) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/**
 * The new password: asked twice without echo at a terminal; from a pipe, the first line of
 * stdin (so `printf '%s\n' "$PW" | npm run cli -- admin create ...` works in scripts and containers).
 */
export async function readNewPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await readHidden('Password: ');
    const second = await readHidden('Repeat password: ');
    if (first !== second) throw new Error('The two passwords differ');
    return first;
  }
  const text = await readAll(process.stdin);
  const line = text.split(/\r?\n/)[0] ?? '';
  if (!line) throw new Error('No password on stdin (pipe one line, or run at a terminal to be prompted)');
  return line;
}
