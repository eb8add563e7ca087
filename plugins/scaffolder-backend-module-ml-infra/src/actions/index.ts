export { createGuardrailsCheckAction } from './guardrailsCheck';
export { createPolicyCheckAction } from './policyCheck';
export { createModuleRegisterAction } from './moduleRegister';
export { createPublishLocalAction } from './publishLocal';
