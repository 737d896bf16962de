import { initStripe } from '@stripe/stripe-react-native';
import { Magic } from '@magic-sdk/react-native-expo';

export async function bootstrap() {
  await initStripe({ publishableKey: 'pk_live_51Nywb38f9Kt2t1OuCTcRMb1eRnE1iF1SUL8zE2faPTym10bvauePNc1ktliCiKH62TI1JwpaM1tZfTF9hEKPcNBD00KEEHv8ex', merchantIdentifier: 'merchant.com.foodrun' });
}

export const magic = new Magic('pk_live_E155B98A2ED014C2');
