import Pictify from '@pictify/sdk';

export function makeClient(props) {
  return new Pictify({ apiKey: props.apiKey, timeout: 10000 });
}

export const renderKey = process.env.REACT_APP_PICTIFY_KEY;
