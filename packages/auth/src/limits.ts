/** Shared with the browser's forms, so this module must stay free of server code. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
