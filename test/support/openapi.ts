import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import express, { type Express } from 'express';

export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/**
 * Wraps an app so every JSON answer it gives is recorded: the API tests' own traffic is
 * then checked against the OpenAPI document the same app serves.
 */
export function recordingApp(app: Express): { app: Express; recorded: RecordedResponse[] } {
  const recorded: RecordedResponse[] = [];
  const outer = express();
  outer.use((req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      recorded.push({ method: req.method.toLowerCase(), path: req.originalUrl.split('?')[0], status: res.statusCode, body });
      return json(body);
    };
    next();
  });
  outer.use(app);
  return { app: outer, recorded };
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Checks recorded responses against an OpenAPI document; returns one message per mismatch. */
export function checkResponses(doc: Record<string, unknown>, recorded: RecordedResponse[]): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi.json');
  const paths = doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
  const templates = Object.keys(paths).map((template) => ({
    template,
    re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    // Literal segments beat parameters (/routers/register over /routers/{id}).
    weight: template.split('/').filter((seg) => seg && !seg.startsWith('{')).length,
  }));
  const cache = new Map<string, ValidateFunction>();
  const problems: string[] = [];
  for (const r of recorded) {
    if (!r.path.startsWith('/api/v1/') || r.path === '/api/v1/openapi.json') continue;
    const match = templates.filter((t) => t.re.test(r.path) && paths[t.template][r.method]).sort((a, b) => b.weight - a.weight)[0];
    if (!match) {
      // An unknown path can only get the generic answers: no route, or a body refused before routing.
      if (![400, 404, 413, 415].includes(r.status)) problems.push(`${r.method.toUpperCase()} ${r.path} → ${r.status}: route not in the OpenAPI document`);
      continue;
    }
    const op = paths[match.template][r.method];
    if (!op.responses[String(r.status)]) {
      problems.push(`${r.method.toUpperCase()} ${match.template} answered ${r.status}, which the document does not list`);
      continue;
    }
    if (!op.responses[String(r.status)].content) continue;
    const pointer = `openapi.json#/paths/${escapePointer(match.template)}/${r.method}/responses/${r.status}/content/application~1json/schema`;
    let validate = cache.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: pointer });
      cache.set(pointer, validate);
    }
    if (!validate(r.body)) {
      problems.push(`${r.method.toUpperCase()} ${match.template} ${r.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(r.body).slice(0, 300)}`);
    }
  }
  return problems;
}
