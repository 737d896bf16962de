export const config = {
  apiBase: 'https://shop.example.com/api',
  widgetKey: 'pk_live_E4L4ICpMqlAMca4Doh73b7MRrr1ulzfi',
  currency: 'EUR',
};
