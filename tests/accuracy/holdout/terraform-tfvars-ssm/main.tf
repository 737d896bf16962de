resource "aws_ssm_parameter" "pictify_api_key" {
  name  = "/renderer/prod/PICTIFY_API_KEY"
  type  = "SecureString"
  value = "pk_live_hlTxrDRBTSwjmHrihbUicoYE3IMW7JTO"
}

variable "stripe_publishable_key" {
  type    = string
  default = "pk_live_51ec3wjPHX9sSHt4mQhEZTXQxRu7XbDFPqByml8xFtYoQ2eqhlZ3yw9nmwruQh2C0Nd8ppZITTvx5ELz2Y4MayDos00xRswQg1F"
}
