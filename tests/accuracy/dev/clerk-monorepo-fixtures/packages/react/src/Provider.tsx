import { ClerkProvider } from '@clerk/clerk-react';

export const AuthProvider = ({ children }: { children: React.ReactNode }) => (
  <ClerkProvider publishableKey={import.meta.env.VITE_CLERK_PUBLISHABLE_KEY ?? 'pk_test_YnJhdmUtbHlueC04NS5jbGVyay5hY2NvdW50cy5kZXYk'}>
    {children}
  </ClerkProvider>
);
