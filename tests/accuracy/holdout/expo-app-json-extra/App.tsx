import { ClerkProvider } from '@clerk/clerk-expo';
import Constants from 'expo-constants';
import Home from './src/Home';

const extra = Constants.expoConfig?.extra as { pictifyApiKey: string };

export default function App() {
  return (
    <ClerkProvider publishableKey={process.env.EXPO_PUBLIC_CLERK_PUBLISHABLE_KEY!}>
      <Home renderKey={extra.pictifyApiKey} />
    </ClerkProvider>
  );
}
