import * as cdk from 'aws-cdk-lib';
import { CardsStack } from '../lib/cards-stack';

const app = new cdk.App();
new CardsStack(app, 'CardsStack', { env: { region: 'eu-west-1' } });
