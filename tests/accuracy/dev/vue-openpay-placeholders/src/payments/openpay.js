export function setupOpenpay() {
  window.OpenPay.setId('mz3hq0kxb1tqfu7iwd2s');
  window.OpenPay.setApiKey('pk_32539e2c5b1522a2ab019ccde023d110');
  window.OpenPay.setSandboxMode(true);
  return window.OpenPay.deviceData.setup('payment-form', 'device_session_id');
}
