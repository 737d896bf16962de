export const payments = {
  stripe: { publishableKey: 'pk_live_51A8uC5aDXbrglIWBrZiXVPFWyxIkHPz3SQXbOWgMx80C6jEiYUiquPgFcBfmZf5d1EBvM7V598eXlV1I8SJn6YkS00SPR43xB4' },
  paystack: { publicKey: 'pk_live_bf60d2fdf0a6f713f1e724b23119765a429dd5bf' },
};
