import React from 'react';
import { KnockProvider } from '@knocklabs/react-native';
import Config from 'react-native-config';
import Scanner from './Scanner';

export default function App() {
  return (
    <KnockProvider apiKey="pk_live_Uujks0DmUGbQU45TeMnYUUk74U2txmDDgO_4ipVf9YS" userId="guest">
      <Scanner renderKey={Config.PICTIFY_API_KEY} />
    </KnockProvider>
  );
}
