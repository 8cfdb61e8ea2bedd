import Joi from 'joi';
import type { ApiRegistry } from '../../http/api';
import { actorOf } from '../../http/actor';
import { routerResponse } from '../routers/routers.schemas';
import type { ConsoleService } from './console.service';

const configResponse = Joi.object({
  setupRequired: Joi.boolean().required().description('No account exists yet: the first to register becomes admin'),
  registrationOpen: Joi.boolean().required().description('Self-registration is open after the first account (ALLOW_REGISTRATION)'),
  demoRouter: Joi.boolean().required().description('A simulated router runs beside this controller (POST /demo-router adds it)'),
}).label('ConsoleConfig');

/** /console/config (public) and /demo-router: what the web console asks before and after sign-in. */
export function registerConsoleRoutes(api: ApiRegistry, deps: { console: ConsoleService }): void {
  api.route(
    {
      method: 'get',
      path: '/console/config',
      summary: 'What the console shows before sign-in: first-run setup, open registration, a demo router',
      tags: ['Console'],
      auth: 'public',
      responses: { 200: { description: 'Console settings', schema: configResponse } },
    },
    async (_req, res) => {
      res.json(await deps.console.config());
    },
  );

  api.route(
    {
      method: 'post',
      path: '/demo-router',
      summary: 'Add the simulated router that npm start runs (its address and host key come from NETPILOT_DEMO_ROUTER); you own it',
      tags: ['Console'],
      auth: 'user',
      responses: { 201: { description: 'Added', schema: routerResponse }, 404: { description: 'DEMO_ROUTER_OFF: no demo router runs here' } },
    },
    async (req, res) => {
      res.status(201).json(await deps.console.addDemoRouter(actorOf(req)));
    },
  );
}
