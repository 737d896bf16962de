import type { CapacitorConfig } from '@capacitor/cli';

const config: CapacitorConfig = {
  appId: 'io.cardsmith.app',
  appName: 'Cardsmith',
  webDir: 'dist',
};

export default config;
