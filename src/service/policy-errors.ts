import { ServiceError, type ApiErrorCode } from './errors.js';

/** The codes the provisioning policies' management surfaces answer with (docs/api-errors.md). */
type PolicyErrorCode = Extract<ApiErrorCode, 'VALIDATION_FAILED' | 'ROLE_MANAGED_BY_SCIM' | 'ADMIN_GROUP_ONLY' | 'STATUS_MANAGED_BY_SCIM' | 'SEAT_LIMIT_REACHED' | 'SCIM_DISABLED' | 'SCIM_MEMBERS_ACTIVE'>;

/** A refusal of a policy action, with its stable code. */
export class PolicyError extends ServiceError {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
  ) {
    super(message);
  }
}
