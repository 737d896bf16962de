import React from 'react';
import { Button, View } from 'react-native';
import { renderInvite } from '../api/invites';

export default function Home() {
  return (
    <View>
      <Button title="Make invite" onPress={() => renderInvite('Sam')} />
    </View>
  );
}
