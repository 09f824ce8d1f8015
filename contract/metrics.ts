/** What the functions tell CloudWatch and the stack's alarms watch: one namespace, the service as a dimension. */
export const metricsNamespace = 'PurchaseOrders';
export const serviceName = 'purchase-orders';
/** A purchase order flagged as needing attention (a step that failed for good, an email SES would not send). */
export const attentionMetric = 'PurchaseOrdersNeedingAttention';
