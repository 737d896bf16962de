resource "aws_lambda_function" "render" {
  function_name = "cards-render"
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  filename      = "dist/render.zip"
  role          = aws_iam_role.render.arn

  environment {
    variables = {
      PICTIFY_API_KEY = var.pictify_api_key
    }
  }
}
