import { log } from '../runtime/log.js';
import { fieldsToPolicy, policyToFields } from './policy-form.js';
import { finance, html, redirect, type ConsoleRoute } from './router.js';
import { policyPage } from './views/admin.js';

/** Finance reads and changes the PO policy in a form; each problem is shown next to its field. */
export const policyRoutes: ConsoleRoute[] = [
  {
    method: 'GET',
    path: /^\/policy$/,
    roles: finance,
    handle: async (request) => html(200, policyPage(await request.page('policy'), policyToFields(await request.deps.policies.get()), {}, request.event.queryStringParameters?.saved === '1')),
  },
  {
    method: 'POST',
    path: /^\/policy$/,
    roles: finance,
    handle: async (request) => {
      const offlineTypes = request.all('offlineType');
      const result = fieldsToPolicy(request.fields, offlineTypes);
      if (!result.policy) return html(400, policyPage(await request.page('policy'), { ...request.fields, offlineTypes: offlineTypes.join(',') }, result.errors, false));
      await request.deps.policies.put(result.policy);
      log.info('policy changed in the console', { by: request.by.id });
      return redirect(`${request.base}/policy?saved=1`);
    },
  },
];
