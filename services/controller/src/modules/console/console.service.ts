import { AppError } from '../../errors';
import type { DemoRouterSettings } from '../../config';
import type { Actor, RoutersService } from '../routers/routers.service';

export interface ConsoleServiceDeps {
  anyUserExists(): Promise<boolean>;
  routers: Pick<RoutersService, 'create'>;
  allowRegistration: boolean;
  demoRouter: DemoRouterSettings | null;
}

/** What the console needs to know before anyone signs in, and the demo router in one click. */
export class ConsoleService {
  constructor(private readonly deps: ConsoleServiceDeps) {}

  async config() {
    return {
      setupRequired: !(await this.deps.anyUserExists()),
      registrationOpen: this.deps.allowRegistration,
      demoRouter: this.deps.demoRouter !== null,
    };
  }

  /** Adds the simulated router `npm start` runs, owned by the caller, its host key already pinned. */
  async addDemoRouter(actor: Actor) {
    const demo = this.deps.demoRouter;
    if (!demo) throw AppError.notFound('DEMO_ROUTER_OFF', 'No demo router runs here (it comes with npm start and the embedded database)');
    return this.deps.routers.create(actor, {
      name: 'Demo router',
      host: demo.host,
      port: demo.port,
      username: demo.username,
      password: demo.password,
      platform: demo.platform,
      options: {},
      ...(demo.hostKeySha256 ? { hostKeySha256: demo.hostKeySha256 } : {}),
    });
  }
}
