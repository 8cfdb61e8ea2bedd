/** Names for the API shapes the pages use, all derived from the generated schema. */
import type { Answer } from './client';

export type User = Answer<'/api/v1/auth/me', 'get'>['user'];
export type ConsoleConfig = Answer<'/api/v1/console/config', 'get'>;
type RouterBase = Answer<'/api/v1/routers/{id}', 'get'>;
/** Convergence (issue 10) is added to GET /routers/:id later: shown when present. */
export interface Convergence {
  state?: string;
  status?: string;
  summary?: string;
  [key: string]: unknown;
}
export type RouterView = RouterBase & { convergence?: Convergence | null };
/** Naming devices (issue 13) adds id and name: the rename control appears once the API has them. */
export type Device = Answer<'/api/v1/routers/{id}/devices', 'get'>['items'][number] & { id?: string; name?: string | null };
export type Block = Answer<'/api/v1/routers/{id}/blocks', 'get'>['items'][number];
export type Command = Answer<'/api/v1/routers/{id}/commands', 'get'>['items'][number];
export type RouterInfo = Answer<'/api/v1/routers/{id}/info', 'get'>;
export type SessionView = Answer<'/api/v1/sessions', 'get'>['items'][number];
export type AuditEntry = Answer<'/api/v1/audit', 'get'>['items'][number];
export type AuditVerdict = Answer<'/api/v1/audit/verify', 'get'>;
export type Platform = RouterBase['platform'];
