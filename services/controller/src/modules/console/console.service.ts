import { AppError } from '@netpilot/service-kit';
import type { DemoRouterSettings } from '../../config';
import type { Actor } from '../../http/actor';
import type { OnboardingService } from '../onboarding/onboarding.service';
import type { RoutersService } from '../routers/routers.service';

export interface ConsoleServiceDeps {
  anyUserExists(): Promise<boolean>;
  routers: Pick<RoutersService, 'create'>;
  onboarding: Pick<OnboardingService, 'issueProvisionKey'>;
  /** Delivers a provision key to the demo router (see demo-enrolment.ts). */
  handProvisionKey(dir: string, enrolment: { routerId: string; provisionKey: string }): Promise<void>;
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

  /**
   * Adds the simulated router `npm start` runs, owned by the caller, its host key already
   * pinned; hands it a provision key so that it registers and sends heartbeats by itself.
   */
  async addDemoRouter(actor: Actor) {
    const demo = this.deps.demoRouter;
    if (!demo) throw AppError.notFound('DEMO_ROUTER_OFF', 'No demo router runs here (it comes with npm start and the embedded database)');
    const router = await this.deps.routers.create(actor, {
      name: 'Demo router',
      host: demo.host,
      port: demo.port,
      username: demo.username,
      password: demo.password,
      platform: demo.platform,
      options: {},
      ...(demo.hostKeySha256 ? { hostKeySha256: demo.hostKeySha256 } : {}),
    });
    if (demo.provisionKeyDir) {
      const { provisionKey } = await this.deps.onboarding.issueProvisionKey(actor, router.id);
      await this.deps.handProvisionKey(demo.provisionKeyDir, { routerId: router.id, provisionKey });
    }
    return router;
  }
}
