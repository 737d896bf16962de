import { ShareButton } from 'ui';

export default function Home() {
  return <ShareButton html="<h1>Hello</h1>" />;
}
