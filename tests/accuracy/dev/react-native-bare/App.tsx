import React from 'react';
import { StripeProvider } from '@stripe/stripe-react-native';
import { ClerkProvider } from '@clerk/clerk-expo';
import Home from './src/screens/Home';

export default function App() {
  return (
    <ClerkProvider publishableKey="pk_test_Y2FsbS1rb2ktMTAuY2xlcmsuYWNjb3VudHMuZGV2JA">
      <StripeProvider publishableKey="pk_test_5153CftT7nAYxVxD2UCCagvfzlUboR0nkbUVBNLaya4Jgg9HIteI7dvaI50I3j02WvTzhoLvSg6SZsuqFG5TqPT0r00RlSd9fQm" merchantIdentifier="merchant.com.invitecards">
        <Home />
      </StripeProvider>
    </ClerkProvider>
  );
}
