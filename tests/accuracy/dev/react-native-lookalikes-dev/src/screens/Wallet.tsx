import React from 'react';
import { Text } from 'react-native';

export default function Wallet({ lastKey }: { lastKey: string }) {
  return <Text>{`Key: pk_live_••••${lastKey.slice(-4)}`}</Text>;
}
