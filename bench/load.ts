/**
 * A closed-loop HTTP load generator, run as its own process so that it does not share an
 * event loop with the server it measures:
 * `tsx bench/load.ts <url> <seconds> <concurrency> [--method=POST --body=<json>] [header: value ...]`.
 * With several headers, successive requests take them in turn (one per request).
 * Prints one JSON line: {requests, non2xx, errors, seconds, perSecond} (perSecond counts
 * every answer, as wrk's Requests/sec does).
 */
import http from 'node:http';
import { splitHeader } from './stats';

async function main(): Promise<void> {
  const [url, secondsText, concurrencyText, ...rest] = process.argv.slice(2);
  const option = (name: string) => rest.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const method = option('method') ?? 'GET';
  const body = option('body');
  const headerLines = rest.filter((a) => !a.startsWith('--'));
  const seconds = Math.min(Number(secondsText), 60);
  const concurrency = Math.min(Number(concurrencyText), 256);
  const target = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('load goes to loopback only');
  const headerSets: Record<string, string>[] = headerLines.map((line) => {
    const [name, value] = splitHeader(line);
    return { [name]: value };
  });
  if (!headerSets.length) headerSets.push({});
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const deadline = performance.now() + seconds * 1000;
  let requests = 0;
  let non2xx = 0;
  let errors = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const headers: Record<string, string> = { ...headerSets[next++ % headerSets.length] };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const req = http.request(target, { agent, headers, method }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode! >= 200 && res.statusCode! < 300) requests++;
          else non2xx++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  process.stdout.write(`${JSON.stringify({ requests, non2xx, errors, seconds: elapsed, perSecond: (requests + non2xx) / elapsed })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
