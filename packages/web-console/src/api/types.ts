/** Names for the API shapes the pages use, all derived from the generated schema. */
import type { Answer } from './client';

export type User = Answer<'/api/v1/auth/me', 'get'>['user'];
export type ConsoleConfig = Answer<'/api/v1/console/config', 'get'>;
type RouterBase = Answer<'/api/v1/routers/{id}', 'get'>;
export type Convergence = RouterBase['convergence'];
export type RouterView = RouterBase;
export type Device = Answer<'/api/v1/routers/{id}/devices', 'get'>['items'][number];
export type Block = Answer<'/api/v1/routers/{id}/blocks', 'get'>['items'][number];
export type Schedule = Answer<'/api/v1/routers/{id}/schedules', 'get'>['items'][number];
export type WeeklyWindow = Schedule['windows'][number];
export type RouterEvent = Answer<'/api/v1/events', 'get'>['items'][number];
export type Command = Answer<'/api/v1/routers/{id}/commands', 'get'>['items'][number];
export type RouterInfo = Answer<'/api/v1/routers/{id}/info', 'get'>;
export type SessionView = Answer<'/api/v1/sessions', 'get'>['items'][number];
export type AuditEntry = Answer<'/api/v1/audit', 'get'>['items'][number];
export type AuditVerdict = Answer<'/api/v1/audit/verify', 'get'>;
export type Platform = RouterBase['platform'];
export type Operation = Answer<'/api/v1/operations/{id}', 'get'>;
