import type { ApiError } from '../../api/client';
import type { Block, RouterView } from '../../api/types';

/** What the tabs share: the router, its blocks, and where router errors go. */
export interface RouterContext {
  router: RouterView;
  blocks: Block[];
  reloadBlocks(): void;
  reloadRouter(): void;
  /** Every failed router action comes here: a host key mismatch gets its own panel. */
  reportError(err: unknown): ApiError | null;
}
