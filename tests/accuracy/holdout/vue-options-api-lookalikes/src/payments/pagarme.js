// Pagar.me checkout (v5)
export const pagarmeConfig = {
  appId: 'pk_test_PjybU2QIMWJe9UAm',
  checkoutUrl: 'https://api.pagar.me/core/v5/tokens',
};
