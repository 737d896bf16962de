import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export class CardsStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const key = secretsmanager.Secret.fromSecretNameV2(this, 'PictifyKey', 'pictify/api-key');

    const fn = new lambda.Function(this, 'Render', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('lambda'),
      environment: {
        PICTIFY_SECRET_ARN: key.secretArn,
        PICTIFY_TOKEN: 'a84d66f9edde327675dd052dda069dd2ca1c7e4b7584689938b04d5f7d53f7c8',
      },
    });
    key.grantRead(fn);
  }
}
