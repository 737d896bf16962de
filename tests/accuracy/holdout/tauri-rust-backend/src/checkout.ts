declare const YocoSDK: any;

export function openCheckout() {
  const yoco = new YocoSDK({ publicKey: 'pk_test_Yxv90XafeoAmasPdBrqN' });
  yoco.showPopup({ amountInCents: 990, currency: 'ZAR', name: 'Screenshot Studio Pro' });
}
