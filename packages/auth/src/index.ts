export {
  type Auth,
  type AuthOptions,
  createAuth,
  type Session,
  withSignUpAllowed,
} from "./auth";
export {
  ensureFirstAccount,
  type FirstAccount,
  redeemSetupLink,
  SetupLinkError,
  setupLinkIsValid,
} from "./bootstrap";
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./limits";
