/** Minutes between scheduled activation runs unless configured (the stack's EventBridge rule and the local timer). */
export const DEFAULT_ACTIVATION_INTERVAL_MINUTES = 40;
