import { randomUUID } from 'node:crypto';
import type { Platform } from '@netpilot/contracts';
import type { Transactor } from '../../db/sql';
import type { Actor } from '../../http/actor';
import type { PageRequest } from '../../http/common.schemas';
import { cursorOf, encodeCursor, pageOf } from '../../lib/cursor';
import type { AuditService } from '../audit/audit.service';
import type { DestinationPolicy } from './destination-policy';
import type { RouterEntity } from './router.entity';
import type { JumpHostInput, RouterCredentials, RouterCredentialStore } from './router-credentials';
import type { RouterListingRepository } from './router-listing.repository';
import { toPublicRouter, type Access } from './router.presenter';
import { RouterErrors } from './routers.errors';
import type { RouterColumns, RoutersRepository } from './routers.repository';

export interface CreateRouterInput extends RouterCredentials {
  name: string;
  host: string;
  port: number;
  username: string;
  platform: Platform;
  options: { leasesPath?: string };
  jumpHost?: JumpHostInput;
  tunnelPort?: number;
  hostKeySha256?: string;
  timeZone?: string;
}

export type UpdateRouterInput = Partial<Omit<CreateRouterInput, 'jumpHost' | 'tunnelPort' | 'hostKeySha256'>> & {
  jumpHost?: JumpHostInput | null;
  tunnelPort?: number | null;
  hostKeySha256?: string | null;
  /** A new owner (admins only); the old owner loses the router, the new one's assignment to it ends. */
  ownerId?: string;
};

export interface RoutersServiceDeps {
  repo: RoutersRepository;
  listing: RouterListingRepository;
  credentials: RouterCredentialStore;
  destinations: DestinationPolicy;
  audit: AuditService;
  transaction: Transactor;
  userExists: (id: string) => Promise<boolean>;
  /** Told when a router's time zone changed: its schedules' boundaries move. */
  onTimeZoneChange?: (routerId: string) => void;
}

/** What a host key fingerprint of a connection is: the router's, and its jump host's when it has one. */
export interface SeenKeys {
  hostKeySha256: string | null;
  jumpHostKeySha256?: string | null;
}

function via(r: Pick<RouterEntity, 'jumpHost' | 'tunnelPort'>): string {
  return r.jumpHost ? 'jump-host' : r.tunnelPort ? 'reverse-tunnel' : 'direct';
}

/** Routers and who may use them: CRUD, the access policy, assignments, host-key pinning. */
export class RoutersService {
  constructor(private readonly deps: RoutersServiceDeps) {}

  /** The router if the actor may see it; otherwise 404, the same answer as for a missing one. */
  async getVisible(actor: Pick<Actor, 'userId' | 'isAdmin'>, id: string): Promise<{ router: RouterEntity; access: Access }> {
    const found = await this.deps.repo.findVisible(id, { userId: actor.userId, isAdmin: actor.isAdmin });
    if (!found) throw RouterErrors.notFound();
    // An admin who is also assigned a router keeps an admin's rights over it.
    const access: Access = found.router.ownerId === actor.userId ? 'owner' : actor.isAdmin ? 'admin' : 'assigned';
    return { router: found.router, access };
  }

  /** Like getVisible, but changing the router itself needs its owner or an admin. */
  async getManaged(actor: Pick<Actor, 'userId' | 'isAdmin'>, id: string): Promise<{ router: RouterEntity; access: Access }> {
    const found = await this.getVisible(actor, id);
    if (found.access === 'assigned') throw RouterErrors.ownerRequired();
    return found;
  }

  async create(actor: Actor, input: CreateRouterInput) {
    await this.deps.destinations.check(input);
    const id = randomUUID();
    const columns: RouterColumns = {
      name: input.name,
      host: input.host,
      port: input.port,
      username: input.username,
      platform: input.platform,
      options: input.options ?? {},
      tunnelPort: input.tunnelPort ?? null,
      hostKeySha256: input.hostKeySha256 ?? null,
      timeZone: input.timeZone ?? 'UTC',
      ...this.deps.credentials.sealRouter(id, input),
      ...this.deps.credentials.sealJumpHost(id, input.jumpHost ?? null),
    };
    const router = await this.deps.transaction(async (tx) => {
      const created = await this.deps.repo.insert({ id, ownerId: actor.userId, ...columns }, tx);
      await this.deps.audit.record(
        {
          action: 'router.create',
          actor,
          target: { type: 'router', id },
          details: { name: created.name, host: created.host, port: created.port, platform: created.platform, via: via(created) },
        },
        tx,
      );
      return created;
    });
    return toPublicRouter(router, 'owner');
  }

  /**
   * A page of the routers the actor sees, as the JSON text of the response body (written by
   * PostgreSQL, see RouterListingRepository): the API's most frequent request.
   */
  async listJson(actor: Pick<Actor, 'userId' | 'isAdmin'>, page: PageRequest): Promise<string> {
    const after = cursorOf(page.cursor);
    const { itemsJson, next } = await this.deps.listing.listVisible({ userId: actor.userId, isAdmin: actor.isAdmin }, page.limit, after);
    return `{"items":${itemsJson},"nextCursor":${next ? JSON.stringify(encodeCursor(next)) : 'null'}}`;
  }

  async get(actor: Actor, id: string) {
    const { router, access } = await this.getVisible(actor, id);
    return toPublicRouter(router, access);
  }

  /** An owner's or admin's change: writes only the columns the patch changes. */
  async update(actor: Actor, id: string, patch: UpdateRouterInput) {
    const { router, access } = await this.getManaged(actor, id);
    const newOwner = patch.ownerId !== undefined && patch.ownerId !== router.ownerId ? patch.ownerId : null;
    if (patch.ownerId !== undefined && !actor.isAdmin) throw RouterErrors.transferNeedsAdmin();
    if (newOwner && !(await this.deps.userExists(newOwner))) throw RouterErrors.userNotFound();
    const next = {
      host: patch.host ?? router.host,
      port: patch.port ?? router.port,
      tunnelPort: patch.tunnelPort === undefined ? router.tunnelPort : patch.tunnelPort,
      jumpHost: patch.jumpHost === undefined ? router.jumpHost : patch.jumpHost,
    };
    if (next.jumpHost && next.tunnelPort) throw RouterErrors.jumpHostAndTunnel();
    await this.deps.destinations.check(next);

    const changes: Partial<RouterColumns> = {};
    const changed: string[] = [];
    const set = <K extends keyof RouterColumns>(key: K, value: RouterColumns[K], label: string = key) => {
      changes[key] = value;
      if (!changed.includes(label)) changed.push(label);
    };
    if (patch.name !== undefined) set('name', patch.name);
    if (patch.host !== undefined) set('host', patch.host);
    if (patch.port !== undefined) set('port', patch.port);
    if (patch.username !== undefined) set('username', patch.username);
    if (patch.platform !== undefined) set('platform', patch.platform);
    if (patch.options !== undefined) set('options', patch.options);
    if (patch.tunnelPort !== undefined) set('tunnelPort', patch.tunnelPort);
    if (patch.hostKeySha256 !== undefined) set('hostKeySha256', patch.hostKeySha256);
    if (patch.timeZone !== undefined) set('timeZone', patch.timeZone);
    if (patch.password !== undefined || patch.privateKey !== undefined) {
      const sealed = this.deps.credentials.sealRouter(id, patch);
      set('authMethod', sealed.authMethod);
      set('credentialsEnc', sealed.credentialsEnc, 'credentials');
    }
    if (patch.jumpHost !== undefined) {
      const sealed = this.deps.credentials.sealJumpHost(id, patch.jumpHost);
      set('jumpHost', sealed.jumpHost);
      set('jumpCredentialsEnc', sealed.jumpCredentialsEnc, 'jumpCredentials');
    }
    // Moving a router somewhere else means its old host key no longer proves anything.
    const moved = patch.host !== undefined || patch.port !== undefined || patch.tunnelPort !== undefined || patch.jumpHost !== undefined;
    if (moved && patch.hostKeySha256 === undefined) set('hostKeySha256', null);

    const details: Record<string, unknown> = { changed };
    if (newOwner) {
      changed.push('owner');
      details.owner = { from: router.ownerId, to: newOwner };
    }
    const saved = await this.deps.transaction(async (tx) => {
      let updated = await this.deps.repo.update(id, changes, tx);
      if (updated && newOwner) updated = await this.deps.repo.transfer(id, newOwner, tx);
      if (!updated) throw RouterErrors.notFound();
      await this.deps.audit.record({ action: 'router.update', actor, target: { type: 'router', id }, details }, tx);
      return updated;
    });
    if (patch.timeZone !== undefined && patch.timeZone !== router.timeZone) this.deps.onTimeZoneChange?.(id);
    return toPublicRouter(saved, access);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const { router } = await this.getManaged(actor, id);
    await this.deps.transaction(async (tx) => {
      if (!(await this.deps.repo.delete(id, tx))) throw RouterErrors.notFound();
      await this.deps.audit.record({ action: 'router.delete', actor, target: { type: 'router', id }, details: { name: router.name } }, tx);
    });
  }

  async listAssignments(actor: Actor, id: string, page: PageRequest) {
    await this.getManaged(actor, id);
    const rows = await this.deps.repo.listAssignments(id, page.limit + 1, cursorOf(page.cursor));
    const { items, nextCursor } = pageOf(rows, page.limit, (a) => ({ at: a.createdAt, id: a.userId }));
    return {
      items: items.map((a) => ({ routerId: a.routerId, userId: a.userId, assignedBy: a.assignedBy, createdAt: a.createdAt.toISOString() })),
      nextCursor,
    };
  }

  async assign(actor: Actor, id: string, userId: string) {
    const { router } = await this.getManaged(actor, id);
    if (userId === router.ownerId) throw RouterErrors.alreadyOwner();
    if (!(await this.deps.userExists(userId))) throw RouterErrors.userNotFound();
    const created = await this.deps.transaction(async (tx) => {
      const added = await this.deps.repo.addAssignment(id, userId, actor.userId, tx);
      if (added) await this.deps.audit.record({ action: 'router.assign', actor, target: { type: 'router', id }, details: { userId } }, tx);
      return added;
    });
    return { created };
  }

  async unassign(actor: Actor, id: string, userId: string): Promise<void> {
    await this.getManaged(actor, id);
    await this.deps.transaction(async (tx) => {
      if (!(await this.deps.repo.removeAssignment(id, userId, tx))) throw RouterErrors.assignmentNotFound();
      await this.deps.audit.record({ action: 'router.unassign', actor, target: { type: 'router', id }, details: { userId } }, tx);
    });
  }

  /** True when the executor saw a key this router has not pinned yet. */
  needsPinning(router: RouterEntity, seen: SeenKeys): boolean {
    return (!router.hostKeySha256 && !!seen.hostKeySha256) || (!!router.jumpHost && !router.jumpHost.hostKeySha256 && !!seen.jumpHostKeySha256);
  }

  /**
   * Trust on first use: pins the router's and the jump host's keys the executor saw, where
   * none is pinned yet, each by a guarded column update, so that nothing else of the router
   * loaded before the SSH call is written back. Later contacts must show the same keys.
   */
  async pinHostKeys(actor: { userId: string | null; ip: string | null }, router: RouterEntity, seen: SeenKeys): Promise<void> {
    await this.deps.transaction(async (tx) => {
      const pinned: Record<string, string> = {};
      if (!router.hostKeySha256 && seen.hostKeySha256 && (await this.deps.repo.pinHostKey(router.id, seen.hostKeySha256, tx))) {
        pinned.hostKeySha256 = seen.hostKeySha256;
      }
      if (
        router.jumpHost &&
        !router.jumpHost.hostKeySha256 &&
        seen.jumpHostKeySha256 &&
        (await this.deps.repo.pinJumpHostKey(router.id, seen.jumpHostKeySha256, tx))
      ) {
        pinned.jumpHostKeySha256 = seen.jumpHostKeySha256;
      }
      if (Object.keys(pinned).length) {
        await this.deps.audit.record({ action: 'router.host_key_pinned', actor, target: { type: 'router', id: router.id }, details: pinned }, tx);
      }
    });
  }
}
