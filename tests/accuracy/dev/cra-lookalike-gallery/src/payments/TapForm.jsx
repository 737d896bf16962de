import { TapCard, Currencies, Direction, Edges, Locale, Theme } from '@tap-payments/card-web';

export const TapForm = () => (
  <TapCard
    publicKey="pk_test_ud1Opw1P6bkesmvDruRM63n4"
    merchant={{ id: 'mer_123' }}
    transaction={{ amount: 20, currency: Currencies.SAR }}
    interface={{ locale: Locale.EN, theme: Theme.LIGHT, edges: Edges.CURVED, direction: Direction.LTR }}
  />
);
