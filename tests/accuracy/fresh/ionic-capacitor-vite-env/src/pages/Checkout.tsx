import { IonButton, IonPage } from '@ionic/react';
import { Stripe } from '@capacitor-community/stripe';
import { useEffect } from 'react';

export default function Checkout() {
  useEffect(() => {
    Stripe.initialize({ publishableKey: 'pk_test_51AYcopY3prMUdNbBGq2ASww1I85E8aL1Nf0pTUgO0dmKwXMjnMicUk2GTLQJPjQl3z2GlKXDdvnKMICbdlD0NHP300gmkHqO0I' });
  }, []);
  return (
    <IonPage>
      <IonButton>Pay</IonButton>
    </IonPage>
  );
}
