import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

const cfg = new pulumi.Config();

const role = new aws.iam.Role('render-role', {
  assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: 'lambda.amazonaws.com' }),
});

export const fn = new aws.lambda.Function('render', {
  runtime: 'nodejs20.x',
  role: role.arn,
  handler: 'index.handler',
  code: new pulumi.asset.FileArchive('./dist'),
  environment: {
    variables: {
      PICTIFY_API_KEY: cfg.requireSecret('pictifyApiKey'),
      PICTIFY_PREVIEW_KEY: 'pk_test_ibVTPZ7O3f9tgTPn5aw3r8y7SHg6xqke',
    },
  },
});
