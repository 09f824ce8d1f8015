import type { PolicyStore } from '../app/ports.js';
import { poInstructions } from '../domain/instructions.js';
import type { SellerProfile } from '../domain/seller.js';
import { consoleBase } from '../http/http.js';
import { pageHeaders } from '../http/headers.js';
import { publicRouteHandler, serve, type GroupHandlers } from '../http/routing.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { poInstructionsPage } from '../templates/po-instructions-page.js';
import { seller } from '../wiring/seller.js';
import { stores } from '../wiring/stores.js';

/**
 * GET /po-instructions (no key): the seller's PO instructions, from the seller profile and the policy
 * as it is now. Sellers link to it or frame it on their website: it has no forms, so framing it
 * anywhere is harmless, and it may be cached for a few minutes.
 */
export const makeHandler = (deps: { policies: PolicyStore; seller: SellerProfile }) =>
  publicRouteHandler('PoInstructions', async (event) => {
    const content = poInstructions(await deps.policies.get(), deps.seller);
    const { 'X-Frame-Options': _deny, ...headers } = pageHeaders;
    return {
      statusCode: 200,
      headers: {
        ...headers,
        'Cache-Control': 'public, max-age=300',
        'Content-Security-Policy': headers['Content-Security-Policy'].replace("frame-ancestors 'none'", 'frame-ancestors *'),
      },
      body: poInstructionsPage(`${consoleBase(event)}/assets`, content),
    };
  });

export const makeRoutes = (deps: { policies: PolicyStore; seller: SellerProfile }): GroupHandlers<'PoInstructions'> => ({ PoInstructions: makeHandler(deps) });

export const handler = lazyHandler(() => serve('PoInstructions', makeRoutes({ policies: stores().policies, seller: seller() })));
