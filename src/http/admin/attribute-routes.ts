import { Type } from 'typebox';
import type { Services } from '../../service/services.js';
import type { ApiInstance } from './api-instance.js';
import { ErrorBody, TenantParams } from './schemas.js';

const security = [{ operatorKey: [] }];

const UndeclaredAttribute = Type.Object({
  path: Type.String({ description: 'As first sent: urn:…:2.0:User:costCenter for an extension attribute, else the attribute name (name.middle for a sub-attribute).' }),
  count: Type.Integer({ description: 'How many user writes carried it.' }),
  firstSeenAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  lastUserId: Type.Union([Type.String(), Type.Null()], { description: 'The user the last such write was for.' }),
}, { $id: 'UndeclaredAttribute' });

const UndeclaredAttributeList = Type.Object({ attributes: Type.Array(UndeclaredAttribute) }, { $id: 'UndeclaredAttributeList' });

/** What the IdP sends that the tenant's schemas do not declare. */
export function registerAttributeRoutes(api: ApiInstance, services: Services): void {
  api.get(
    '/tenants/:tenantId/undeclared-attributes',
    {
      schema: {
        tags: ['tenants'],
        operationId: 'listUndeclaredAttributes',
        summary: 'Attributes identity providers sent in user writes that the tenant\'s schemas do not declare (ignored), most recently seen first: what to declare as custom attributes',
        security,
        params: TenantParams,
        response: { 200: UndeclaredAttributeList, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => ({ attributes: [...(await services.undeclaredAttributes.list(request.params.tenantId))] }),
  );
}
